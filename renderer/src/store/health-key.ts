// Health is shown per route and target: the same backend may serve several routes.
export const healthKey = (route: string, target: string): string => `${route} ${target}`;

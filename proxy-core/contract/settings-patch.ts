// settings.set's input: only the settings it changes. zod 4's partial() keeps each field's
// default, so a missing setting would be filled in with it (colinhacks/zod#5315) and saving
// one section of Settings would reset every other one, listener ports included.
import { z } from 'zod';
import { SettingsSchema } from './config.js';

type Shape = typeof SettingsSchema.shape;
type PatchShape = { [K in keyof Shape]: z.ZodOptional<ReturnType<Shape[K]['unwrap']>> };

const patchShape = Object.fromEntries(Object.entries(SettingsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()])) as PatchShape;

export const SettingsPatchSchema = z.object(patchShape).strict();

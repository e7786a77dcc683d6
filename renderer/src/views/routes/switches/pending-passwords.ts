// Passwords typed in the route form wait for its Save: "Set password" then Cancel changes
// nothing, and Save sets both the passwords added and one still typed in the fields (a
// typed password must never be dropped, leaving auth on with nobody let in).
import { createContext, useContext, useMemo, useRef, useState } from 'react';

export interface Credentials {
  user: string;
  password: string;
}

export interface PendingPasswords {
  /** Added with "Set password", by user (a later one for the same user wins). */
  added: ReadonlyMap<string, string>;
  add(credentials: Credentials): void;
  drop(user: string): void;
  /** What the User and Password fields hold right now. */
  typed: { current: Credentials };
  /** Everything Save must set: the added ones and a complete typed pair. */
  toSet(): Credentials[];
}

export function usePendingPasswordsState(): PendingPasswords {
  const [added, setAdded] = useState<ReadonlyMap<string, string>>(new Map());
  const typed = useRef<Credentials>({ user: '', password: '' });
  return useMemo(
    () => ({
      added,
      add: ({ user, password }) => setAdded((m) => new Map(m).set(user, password)),
      drop: (user) =>
        setAdded((m) => {
          const next = new Map(m);
          next.delete(user);
          return next;
        }),
      typed,
      toSet: () => {
        const all = new Map(added);
        const { user, password } = typed.current;
        if (user.trim() !== '' && password !== '') all.set(user.trim(), password);
        return [...all].map(([u, p]) => ({ user: u, password: p }));
      },
    }),
    [added],
  );
}

export const PendingPasswordsContext = createContext<PendingPasswords | undefined>(undefined);
export const usePendingPasswords = (): PendingPasswords | undefined => useContext(PendingPasswordsContext);

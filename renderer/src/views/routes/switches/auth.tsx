// Basic auth: the route's users by name, a password field (with show/hide) and a delete
// per user. The engine hashes passwords (routes.setPassword): the UI never makes, shows or
// types a hash. Nothing happens before the form's Save, which sets every password added
// and one still typed; Cancel leaves the route as it was.
import { useState, type KeyboardEvent } from 'react';
import { useStore } from '../../../store/store.js';
import { FieldError, SwitchChip } from './parts.js';
import { usePendingPasswords, type Credentials, type PendingPasswords } from './pending-passwords.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

function PasswordSetter({ pending }: { pending: PendingPasswords }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const type = (next: Credentials) => {
    pending.typed.current = next;
    setUser(next.user);
    setPassword(next.password);
  };
  const add = () => {
    if (user.trim() === '' || password === '') return;
    pending.add({ user: user.trim(), password });
    type({ user: '', password: '' });
  };
  // Enter adds the user here rather than submitting the whole route form.
  const enter = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    add();
  };
  return (
    <div className="switch-options">
      <label htmlFor="route-auth-user">User</label>
      <input id="route-auth-user" className="input narrow" autoComplete="off" spellCheck={false} value={user} onKeyDown={enter} onChange={(e) => type({ user: e.target.value, password })} />
      <label htmlFor="route-auth-password">Password</label>
      <input
        id="route-auth-password"
        className="input narrow"
        type={shown ? 'text' : 'password'}
        autoComplete="new-password"
        value={password}
        onKeyDown={enter}
        onChange={(e) => type({ user, password: e.target.value })}
      />
      <button type="button" className="btn small" aria-pressed={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
      </button>
      <button type="button" className="btn small" disabled={user.trim() === '' || password === ''} onClick={add}>
        Set password
      </button>
      <p className="hint">Passwords are set when you save the route (hashed by Portico, never stored as typed); Cancel drops them.</p>
    </div>
  );
}

function AuthField({ values, set, errors, routeId }: SwitchFieldProps) {
  const own = values.auth;
  const pending = usePendingPasswords();
  const saved = useStore((s) => s.routes?.find((r) => r.id === routeId));
  const savedUsers = Object.keys(saved?.auth?.basic.users ?? {});
  const users = [...new Set([...Object.keys(own?.basic.users ?? {}), ...(pending?.added.keys() ?? [])])];
  const remove = (user: string) => {
    pending?.drop(user);
    if (!own) return;
    const rest = { ...(own.basic.users ?? {}) };
    delete rest[user];
    set({ auth: { basic: { ...own.basic, users: rest } } });
  };
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor="route-auth">Basic auth</label>
        <select
          id="route-auth"
          className="input"
          value={own ? 'on' : 'off'}
          onChange={(e) => set({ auth: e.target.value === 'on' ? (saved?.auth ?? { basic: { users: {} } }) : undefined })}
        >
          <option value="off">Off</option>
          <option value="on">On: ask for a user name and password</option>
        </select>
      </div>
      {!own && savedUsers.length > 0 && (
        <p className="hint warn" role="status">
          Saving with Basic auth off removes this route&apos;s {savedUsers.length === 1 ? 'user' : `${savedUsers.length} users`} (
          {savedUsers.join(', ')}) and their passwords.
        </p>
      )}
      {own && (
        <>
          <ul className="auth-users" aria-label="Users">
            {users.length === 0 && <li className="muted">No users yet: nobody gets in.</li>}
            {users.map((user) => (
              <li key={user} className="row-flex">
                <span className="mono">{user}</span>
                {pending?.added.has(user) && <span className="muted small">password set when you save</span>}
                <button type="button" className="btn small" aria-label={`Delete user ${user}`} onClick={() => remove(user)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
          {pending && <PasswordSetter pending={pending} />}
          <label className="row-flex small">
            <input
              type="checkbox"
              checked={own.basic.forwardAuthorization ?? false}
              onChange={(e) => set({ auth: { basic: { ...own.basic, forwardAuthorization: e.target.checked } } })}
            />
            Pass the Authorization header on to the backend
          </label>
        </>
      )}
      <FieldError errors={errors} keys={Object.keys(errors).filter((k) => k.startsWith('auth'))} />
    </fieldset>
  );
}

function AuthCard({ route }: SwitchCardProps) {
  if (!route.auth) return null;
  const count = Object.keys(route.auth.basic.users).length;
  return (
    <SwitchChip name="Basic auth" inherited={false}>
      <span className="switch-numbers">{count === 0 ? 'no users: nobody gets in' : `${count} ${count === 1 ? 'user' : 'users'}`}</span>
    </SwitchChip>
  );
}

export const authSwitch: RouteSwitch = {
  key: 'auth',
  inDefaults: false,
  labels: { auth: 'Basic auth', 'auth.basic.users': 'User', 'auth.basic.realm': 'Realm' },
  Field: AuthField,
  Card: AuthCard,
};

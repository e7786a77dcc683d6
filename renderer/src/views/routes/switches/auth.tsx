// Basic auth: the route's users by name, a password field (with show/hide) that sets a
// user's password through routes.setPassword, and a delete per user. The engine hashes
// passwords: the UI never makes, shows or types a hash. Passwords are set at once on a
// saved route (the form keeps the route the command answers with, so Save keeps them).
import { useState, type KeyboardEvent } from 'react';
import type { RouteInput } from '../../../../../proxy-core/contract/index.js';
import { CommandFailed, client } from '../../../api/client.js';
import { FieldError, SwitchChip } from './parts.js';
import type { RouteSwitch, SwitchCardProps, SwitchFieldProps } from './types.js';

type Auth = NonNullable<RouteInput['auth']>;

function PasswordSetter({ routeId, onSet }: { routeId: string; onSet: (auth: Auth | undefined, user: string) => void }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [shown, setShown] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = async () => {
    try {
      const route = await client.call('routes.setPassword', { id: routeId, user, password });
      setProblem(undefined);
      setPassword('');
      setUser('');
      onSet(route.auth, user);
    } catch (error) {
      setProblem(error instanceof CommandFailed && error.issues.length ? error.issues.join('; ') : (error as Error).message);
    }
  };
  // Enter sets the password here rather than submitting the whole route form.
  const enter = (e: KeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void submit();
  };
  return (
    <div className="switch-options">
      <label htmlFor="route-auth-user">User</label>
      <input id="route-auth-user" className="input narrow" autoComplete="off" spellCheck={false} value={user} onKeyDown={enter} onChange={(e) => setUser(e.target.value)} />
      <label htmlFor="route-auth-password">Password</label>
      <input
        id="route-auth-password"
        className="input narrow"
        type={shown ? 'text' : 'password'}
        autoComplete="new-password"
        value={password}
        onKeyDown={enter}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="button" className="btn small" aria-pressed={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
      </button>
      <button type="button" className="btn small" disabled={user === '' || password === ''} onClick={() => void submit()}>
        Set password
      </button>
      {problem && (
        <span className="field-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}

function AuthField({ values, set, errors, routeId }: SwitchFieldProps) {
  const own = values.auth;
  const users = Object.keys(own?.basic.users ?? {});
  const [problem, setProblem] = useState<string>();
  const remove = async (user: string) => {
    if (!routeId) return;
    try {
      const route = await client.call('routes.deletePassword', { id: routeId, user });
      set({ auth: route.auth });
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  return (
    <fieldset className="switch-field">
      <div className="switch-mode">
        <label htmlFor="route-auth">Basic auth</label>
        <select
          id="route-auth"
          className="input"
          value={own ? 'on' : 'off'}
          onChange={(e) => set({ auth: e.target.value === 'on' ? { basic: { users: {} } } : undefined })}
        >
          <option value="off">Off</option>
          <option value="on">On: ask for a user name and password</option>
        </select>
      </div>
      {own && (
        <>
          <ul className="auth-users" aria-label="Users">
            {users.length === 0 && <li className="muted">No users yet: nobody gets in.</li>}
            {users.map((user) => (
              <li key={user} className="row-flex">
                <span className="mono">{user}</span>
                <button type="button" className="btn small" aria-label={`Delete user ${user}`} onClick={() => void remove(user)}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
          {routeId ? (
            <PasswordSetter routeId={routeId} onSet={(auth) => set({ auth })} />
          ) : (
            <p className="hint">Add the route first; then set passwords here (they are hashed by Portico, never stored as typed).</p>
          )}
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
      {problem && <div className="field-error">{problem}</div>}
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

import { setLoginNotice } from '../modules/shell/login';
import { AntdFrame } from './antd-frame';
import { ForcedPasswordChange } from './password-form';

/**
 * The forced password change (auth.tsx shows it instead of the console) in antd's frame, a chunk
 * of its own (issue 14: the login page loads no antd). Once changed the frame goes with the form,
 * so the login page it ends at says why (as after a change of one's own).
 */
export function FramedForcedPasswordChange(props: { username: string; onChanged: () => void; onLogout: () => void }) {
  return (
    <AntdFrame>
      <ForcedPasswordChange
        {...props}
        onChanged={() => {
          setLoginNotice('passwordChanged');
          props.onChanged();
        }}
      />
    </AntdFrame>
  );
}

import type { ReactNode } from 'react';

/**
 * One row of a settings screen: its name and a sentence about it on one side, its control on the
 * other. `controlId` names the control, which the label points at and the hint describes
 * (`<controlId>-hint`); without it the name is a plain heading for a group of controls.
 */
export function SettingRow({
  label,
  hint,
  controlId,
  children,
}: {
  label: string;
  hint: ReactNode;
  controlId?: string;
  children: ReactNode;
}) {
  return (
    <div className="setting">
      <div className="setting-text">
        {controlId ? (
          <label htmlFor={controlId} className="setting-label">
            {label}
          </label>
        ) : (
          <span className="setting-label">{label}</span>
        )}
        <p className="setting-hint" id={controlId ? `${controlId}-hint` : undefined}>
          {hint}
        </p>
      </div>
      <div className="setting-control">{children}</div>
    </div>
  );
}

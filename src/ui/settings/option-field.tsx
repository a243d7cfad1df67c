import { paperDefaults, formatPattern, type Pattern, type PruneOptions } from '../../core/options';
import { updateOptions } from '../store';
import type { Field } from './option-fields';

function defaultText(f: Field): string {
  if (f.kind === 'pattern') return formatPattern(paperDefaults.pattern);
  const v = paperDefaults[f.key];
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return typeof v === 'number' && v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

function PatternInput({ pattern, disabled }: { pattern: Pattern; disabled: boolean }) {
  const nm = pattern.kind === 'nm' ? pattern : null;
  return (
    <span className="pattern">
      <select
        data-testid="opt-pattern"
        value={pattern.kind}
        disabled={disabled}
        onChange={(e) =>
          updateOptions({ pattern: e.currentTarget.value === 'nm' ? { kind: 'nm', n: 2, m: 4 } : { kind: 'unstructured' } })
        }
      >
        <option value="unstructured">unstructured</option>
        <option value="nm">N:M</option>
      </select>
      {nm && (
        <>
          <input
            type="number"
            aria-label="N (kept)"
            data-testid="opt-nm-n"
            min={1}
            step={1}
            value={Number.isNaN(nm.n) ? '' : nm.n}
            disabled={disabled}
            onChange={(e) => updateOptions({ pattern: { ...nm, n: e.currentTarget.valueAsNumber } })}
          />
          <span>:</span>
          <input
            type="number"
            aria-label="M (group)"
            data-testid="opt-nm-m"
            min={2}
            step={1}
            value={Number.isNaN(nm.m) ? '' : nm.m}
            disabled={disabled}
            onChange={(e) => updateOptions({ pattern: { ...nm, m: e.currentTarget.valueAsNumber } })}
          />
        </>
      )}
    </span>
  );
}

function Control({ f, options, disabled }: { f: Field; options: PruneOptions; disabled: boolean }) {
  switch (f.kind) {
    case 'pattern':
      return <PatternInput pattern={options.pattern} disabled={disabled} />;
    case 'bool':
      return (
        <input
          type="checkbox"
          data-testid={`opt-${f.key}`}
          checked={options[f.key]}
          disabled={disabled}
          onChange={(e) => updateOptions({ [f.key]: e.currentTarget.checked })}
        />
      );
    case 'select':
      return (
        <select
          data-testid={`opt-${f.key}`}
          value={options[f.key]}
          disabled={disabled}
          onChange={(e) => updateOptions({ [f.key]: e.currentTarget.value })}
        >
          {f.choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      );
    case 'number': {
      const v = options[f.key];
      return (
        <input
          type="number"
          data-testid={`opt-${f.key}`}
          step={f.step}
          min={f.min}
          max={f.max}
          value={Number.isNaN(v) ? '' : v}
          disabled={disabled}
          onChange={(e) => updateOptions({ [f.key]: e.currentTarget.valueAsNumber })}
        />
      );
    }
  }
}

/** One setting: label, control, its default and what it does. */
export function OptionField({ f, options, disabled }: { f: Field; options: PruneOptions; disabled: boolean }) {
  const id = f.kind === 'pattern' ? 'pattern' : f.key;
  return (
    <div className={`field field-${f.kind}`} data-testid={`field-${id}`}>
      <label className="field-label">
        <span>{f.label}</span>
        <Control f={f} options={options} disabled={disabled} />
      </label>
      <div className="field-help">
        {f.help} <span className="default">Default {defaultText(f)}.</span>
      </div>
    </div>
  );
}

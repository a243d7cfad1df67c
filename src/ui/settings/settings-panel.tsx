import { validateOptions, type PresetName } from '../../core/options';
import { applyPreset, useStudio } from '../store';
import { FIELD_GROUPS, fieldProblems } from './option-fields';
import { OptionField } from './option-field';
import { RunControls } from '../components/run-controls';

/** The presets are time budgets: the paper's method cut to fit, or its whole schedule. */
const PRESET_BUTTONS: { name: PresetName; label: string; title: string }[] = [
  { name: 'quick', label: 'Quick look (≈1 min)', title: 'The paper’s method sized to about a minute: the run times a step first, then cuts the search and training to fit.' },
  { name: 'thorough', label: 'Thorough (≈10 min)', title: 'The same, sized to about ten minutes.' },
  { name: 'paper', label: 'Paper schedule (no limit)', title: 'The authors’ recipe in full: population 25 × 25 generations, 100 epochs, batch 64. Slow in a browser.' },
];

/** Every setting of a run, grouped, with presets and inline validation. */
export function SettingsPanel() {
  const options = useStudio((s) => s.options);
  const preset = useStudio((s) => s.preset);
  const locked = useStudio((s) => s.run.status === 'running' || s.run.status === 'cancelling');
  const problems = [...fieldProblems(options), ...validateOptions(options)];

  return (
    <section className="panel" data-testid="settings-panel">
      <h2>2 · Settings</h2>
      <div className="presets">
        <span className="label">Presets</span>
        {PRESET_BUTTONS.map((b) => (
          <button
            key={b.name}
            type="button"
            className={preset === b.name ? 'toggle on' : 'toggle'}
            data-testid={`preset-${b.name}`}
            disabled={locked}
            onClick={() => applyPreset(b.name)}
            title={b.title}
          >
            {b.label}
          </button>
        ))}
        {preset === null && <span className="muted small">custom</span>}
      </div>
      {FIELD_GROUPS.filter((g) => !g.when || g.when(options)).map((g) => (
        <details className="field-group" key={g.title} open={g.open}>
          <summary>{g.title}</summary>
          {g.fields.map((f) => (
            <OptionField key={f.kind === 'pattern' ? 'pattern' : f.key} f={f} options={options} disabled={locked} />
          ))}
        </details>
      ))}
      {problems.length > 0 && (
        <ul className="validation" data-testid="validation-messages">
          {problems.map((p) => (
            <li key={p} data-testid="validation-message">
              {p}
            </li>
          ))}
        </ul>
      )}
      <RunControls valid={problems.length === 0} />
    </section>
  );
}

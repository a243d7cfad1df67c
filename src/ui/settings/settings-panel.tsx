import { validateOptions } from '../../core/options';
import { applyPreset, useStudio } from '../store';
import { FIELD_GROUPS, fieldProblems } from './option-fields';
import { OptionField } from './option-field';
import { RunControls } from '../components/run-controls';

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
        <button
          type="button"
          className={preset === 'paper' ? 'toggle on' : 'toggle'}
          data-testid="preset-paper"
          disabled={locked}
          onClick={() => applyPreset('paper')}
          title="The authors' recipe: population 25 × 25 generations, 100 epochs, batch 64. Slow in a browser."
        >
          Paper defaults
        </button>
        <button
          type="button"
          className={preset === 'quick' ? 'toggle on' : 'toggle'}
          data-testid="preset-quick"
          disabled={locked}
          onClick={() => applyPreset('quick')}
          title="The same method, sized down to finish in minutes."
        >
          Quick look
        </button>
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

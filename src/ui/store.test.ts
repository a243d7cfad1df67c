import { describe, expect, it } from 'vitest';
import type { DatasetSummary, ModelSummary } from '../core/session-types';
import { clearErrors, reportError, setDataset, setModel, setTestSet, showsOn, studio } from './store';

const messages = () => studio.getState().errors.map((b) => b.message);
const dataset = { count: 3 } as DatasetSummary;

describe('error banners', () => {
  it('a later success at the same thing clears the errors about it, and only those', () => {
    studio.setState({ errors: [] });
    reportError('model', 'bad model');
    reportError('images', 'bad images');
    reportError('test-images', 'bad test images');
    reportError('worker', 'worker restarted');
    setModel({ suggestedPreprocess: 'unit' } as ModelSummary, 'demo');
    expect(messages()).toEqual(['bad images', 'bad test images', 'worker restarted']);
    // Forgetting images is no success: their error stays.
    setDataset(null, null);
    expect(messages()).toContain('bad images');
    setDataset(dataset, 'photos');
    setTestSet(dataset, 'test photos');
    expect(messages()).toEqual(['worker restarted']);
    reportError('run', 'The run failed');
    clearErrors('run');
    expect(messages()).toEqual(['worker restarted']);
  });

  it('an error shows on the page it concerns; the worker\'s on every page', () => {
    expect(showsOn('model', 'studio')).toBe(true);
    expect(showsOn('model', 'runs')).toBe(false);
    expect(showsOn('run', 'runs')).toBe(false);
    expect(showsOn('history', 'runs')).toBe(true);
    expect(showsOn('history', 'studio')).toBe(false);
    expect(showsOn('worker', 'runs')).toBe(true);
    expect(showsOn('worker', 'studio')).toBe(true);
  });
});

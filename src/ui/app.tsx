import { LiveView } from './charts/live-view';
import { ErrorBanner, NoticeBar } from './components/banners';
import { Header } from './components/header';
import { Nav } from './components/nav';
import { ResumeBar } from './components/resume-bar';
import { RunsPage } from './history/runs-page';
import { useStudio } from './store';
import { InputsPanel } from './components/inputs-panel';
import { ResultPanel } from './result/result-panel';
import { SettingsPanel } from './settings/settings-panel';

export function App() {
  const view = useStudio((s) => s.view);
  return (
    <div className="app">
      <Header />
      <Nav />
      <ErrorBanner />
      <NoticeBar />
      {view === 'runs' ? (
        <main>
          <RunsPage />
        </main>
      ) : (
        <main>
          <ResumeBar />
          <div className="columns">
            <InputsPanel />
            <SettingsPanel />
          </div>
          <LiveView />
          <ResultPanel />
        </main>
      )}
      <footer className="muted small">
        UniPTS: Xie et al., “A Unified Framework for Proficient Post-Training Sparsity”, CVPR 2024. Everything runs locally
        in a Web Worker; your files never leave this page.
      </footer>
    </div>
  );
}

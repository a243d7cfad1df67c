import { useState, type DragEvent, type ReactNode } from 'react';
import { entriesOfDrop, filesOfDrop, fromFileList, type SourceFile } from '../files/source-file';
import { errorText } from '../format';
import { reportError } from '../store';
import { PickButton } from './pick-button';

interface Props {
  /** Prefix of the test ids: `<id>-drop`, `<id>-folder-input`, `<id>-files-input`. */
  id: string;
  title: string;
  hint: ReactNode;
  disabled?: boolean;
  accept?: string;
  onFiles: (files: SourceFile[]) => void;
}

/** A drop target with a folder picker and a plain multi-file picker. */
export function DropZone({ id, title, hint, disabled, accept, onFiles }: Props) {
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const drop = entriesOfDrop(e.dataTransfer);
    filesOfDrop(drop).then(onFiles, (err: unknown) => reportError(`Could not read the dropped files: ${errorText(err)}`));
  };

  return (
    <div
      className={`drop-zone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`}
      data-testid={`${id}-drop`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="drop-title">{title}</div>
      <div className="drop-hint">{hint}</div>
      <div className="drop-buttons">
        <span className="drop-or">Drop files or a folder here, or:</span>
        <PickButton testid={`${id}-folder-input`} folder multiple disabled={disabled} onPick={(l) => onFiles(fromFileList(l))}>
          Choose folder…
        </PickButton>
        <PickButton testid={`${id}-files-input`} multiple accept={accept} disabled={disabled} onPick={(l) => onFiles(fromFileList(l))}>
          Choose files…
        </PickButton>
      </div>
    </div>
  );
}

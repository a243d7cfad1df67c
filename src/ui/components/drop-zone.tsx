import { useState, type DragEvent, type ReactNode } from 'react';
import { emptyFolderMessage } from '../../core/words/empty-input';
import { entriesOfDrop, filesOfDrop, folderNamesOfDrop, fromFileList, type SourceFile } from '../files/source-file';
import { errorText } from '../format';
import { reportError, type InputTopic } from '../store';
import { PickButton } from './pick-button';

interface Props {
  /** What the zone takes, and the prefix of its test ids: `<id>-drop`, `<id>-folder-input`, `<id>-files-input`. */
  id: InputTopic;
  title: string;
  hint: ReactNode;
  disabled?: boolean;
  accept?: string;
  onFiles: (files: SourceFile[]) => void;
}

/** A drop target with a folder picker and a plain multi-file picker; an empty folder is said to be empty. */
export function DropZone({ id, title, hint, disabled, accept, onFiles }: Props) {
  const [over, setOver] = useState(false);
  const role = id === 'model' ? 'model' : 'images';

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const drop = entriesOfDrop(e.dataTransfer);
    const folders = folderNamesOfDrop(drop);
    filesOfDrop(drop).then(
      (files) => {
        if (files.length > 0) onFiles(files);
        // Only folders can hold nothing; a drop of no files at all (text, a link) is not an input.
        else if (folders.length > 0) reportError(id, emptyFolderMessage(folders.join(', '), role));
      },
      (err: unknown) => reportError(id, `Could not read the dropped files: ${errorText(err)}`),
    );
  };

  // The folder picker does not tell which folder was chosen when it holds no file.
  const onFolder = (list: FileList) => (list.length > 0 ? onFiles(fromFileList(list)) : reportError(id, emptyFolderMessage(null, role)));

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
        <PickButton testid={`${id}-folder-input`} folder multiple disabled={disabled} onPick={onFolder}>
          Choose folder…
        </PickButton>
        <PickButton testid={`${id}-files-input`} multiple accept={accept} disabled={disabled} onPick={(l) => onFiles(fromFileList(l))}>
          Choose files…
        </PickButton>
      </div>
    </div>
  );
}

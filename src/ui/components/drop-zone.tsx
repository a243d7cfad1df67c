import { useState, type DragEvent, type ReactNode } from 'react';
import { entriesOfDrop, filesOfDrop, fromFileList, type SourceFile } from '../files/source-file';

interface Props {
  /** Prefix of the test ids: `<id>-drop`, `<id>-folder-input`, `<id>-files-input`. */
  id: string;
  title: string;
  hint: ReactNode;
  disabled?: boolean;
  accept?: string;
  onFiles: (files: SourceFile[]) => void;
}

/** Chromium's folder picker attribute; React passes it through, TypeScript does not know it. */
const folderPicker = { webkitdirectory: '', directory: '' } as Record<string, string>;

/** A drop target with a folder picker and a plain multi-file picker. */
export function DropZone({ id, title, hint, disabled, accept, onFiles }: Props) {
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const drop = entriesOfDrop(e.dataTransfer);
    void filesOfDrop(drop).then(onFiles);
  };
  const pick = (list: FileList | null, input: HTMLInputElement) => {
    if (list && list.length > 0) onFiles(fromFileList(list));
    input.value = ''; // picking the same folder again must fire `change` again
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
        <label className={`button secondary${disabled ? ' disabled' : ''}`}>
          Choose folder…
          <input
            type="file"
            multiple
            hidden
            disabled={disabled}
            data-testid={`${id}-folder-input`}
            {...folderPicker}
            onChange={(e) => pick(e.currentTarget.files, e.currentTarget)}
          />
        </label>
        <label className={`button secondary${disabled ? ' disabled' : ''}`}>
          Choose files…
          <input
            type="file"
            multiple
            hidden
            disabled={disabled}
            accept={accept}
            data-testid={`${id}-files-input`}
            onChange={(e) => pick(e.currentTarget.files, e.currentTarget)}
          />
        </label>
      </div>
    </div>
  );
}

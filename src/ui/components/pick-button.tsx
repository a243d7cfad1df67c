import { useRef, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** data-testid of the (hidden) file input, which tests drive with setInputFiles. */
  testid: string;
  /** The picked files; a folder picker also reports an empty folder, as an empty list. */
  onPick: (files: FileList) => void;
  multiple?: boolean;
  /** A folder picker (Chromium's webkitdirectory); files keep their relative paths. */
  folder?: boolean;
  accept?: string;
  disabled?: boolean;
  className?: string;
}

/** Chromium's folder picker attribute; React passes it through, TypeScript does not know it. */
const folderPicker = { webkitdirectory: '', directory: '' } as Record<string, string>;

/** A real, focusable button that opens a hidden file input. */
export function PickButton({ children, testid, onPick, multiple, folder, accept, disabled, className = 'secondary' }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => input.current?.click()}>
        {children}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        multiple={multiple}
        accept={accept}
        disabled={disabled}
        data-testid={testid}
        {...(folder ? folderPicker : {})}
        onChange={(e) => {
          const el = e.currentTarget;
          if (el.files && (el.files.length > 0 || folder)) onPick(el.files);
          el.value = ''; // picking the same thing again must fire `change` again
        }}
      />
    </>
  );
}

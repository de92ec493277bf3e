/**
 * The two ways a user hands the viewer a local file: dropping it on the page, or the file picker.
 * Both end in the same callback; what happens to the file is the app's business.
 */
import { PHOTO_EXTENSIONS } from './file-kind.ts';

/** Worlds to open and photos to make a world from. */
export const ACCEPTED_EXTENSIONS = ['.ply', '.splat', '.worldsplat', ...PHOTO_EXTENSIONS];

export class FileInputs {
  private readonly picker: HTMLInputElement;

  constructor(dropTarget: HTMLElement, onFile: (file: File) => void) {
    this.picker = document.createElement('input');
    this.picker.type = 'file';
    this.picker.accept = ACCEPTED_EXTENSIONS.join(',');
    this.picker.hidden = true;
    this.picker.dataset.role = 'open-file';
    this.picker.addEventListener('change', () => {
      const file = this.picker.files?.[0];
      this.picker.value = ''; // picking the same file again must fire 'change' again
      if (file) onFile(file);
    });
    dropTarget.append(this.picker);

    dropTarget.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault(); // without this the browser opens the file instead of dropping it here
      e.dataTransfer.dropEffect = 'copy';
      dropTarget.classList.add('dropping');
    });
    dropTarget.addEventListener('dragleave', () => dropTarget.classList.remove('dropping'));
    dropTarget.addEventListener('drop', (e) => {
      dropTarget.classList.remove('dropping');
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      e.preventDefault();
      onFile(file);
    });
  }

  openPicker(): void {
    this.picker.click();
  }
}

import type { PresetId } from './catalog.ts';

/** The repository as detection sees it: paths relative to the project's root directory. */
export type RepoFiles = {
	files: readonly string[];
	/** The file's text, or null when it does not exist or cannot be read. */
	read: (path: string) => Promise<string | null>;
};

export type DetectedPreset = {
	preset: PresetId | null;
	/** For the UI, e.g. "Node.js (pnpm)" or "Python (Django)". */
	label: string;
	installCommand: string | null;
	buildCommand: string | null;
	startCommand: string | null;
	/**
	 * Files the install command reads (manifest, lockfile, package manager config). Copying only
	 * these before installing lets Docker reuse the dependency layer while they are unchanged.
	 */
	installFiles: string[];
	/** Which files decided what, in sentences shown to the user. */
	reasons: string[];
};

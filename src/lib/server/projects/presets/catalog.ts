/** Every build preset a project can use; detection picks one, the user can pick another. */
export const PRESET_IDS = ['dockerfile', 'node', 'python', 'go', 'static'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export type Preset = {
	id: PresetId;
	label: string;
	description: string;
	/** Image in runner-images/ the generated Dockerfile builds FROM; null: the repository brings its own. */
	runnerImage: string | null;
	installCommand: string | null;
	buildCommand: string | null;
	startCommand: string | null;
};

export const PRESETS: readonly Preset[] = [
	{
		id: 'dockerfile',
		label: 'Dockerfile',
		description: 'Builds the Dockerfile in the repository as it is.',
		runnerImage: null,
		installCommand: null,
		buildCommand: null,
		startCommand: null
	},
	{
		id: 'node',
		label: 'Node.js',
		description: 'npm, pnpm, Yarn or Bun, chosen from the lockfile.',
		runnerImage: 'slipway/runner-node',
		installCommand: 'npm install',
		buildCommand: null,
		startCommand: 'npm start'
	},
	{
		id: 'python',
		label: 'Python',
		description: 'pip or uv; Django, FastAPI and Flask are recognised.',
		runnerImage: 'slipway/runner-python',
		installCommand: 'pip install -r requirements.txt',
		buildCommand: null,
		startCommand: 'python main.py'
	},
	{
		id: 'go',
		label: 'Go',
		description: 'Compiles the module into one binary.',
		runnerImage: 'slipway/runner-go',
		installCommand: 'go mod download',
		buildCommand: 'go build -o /app/server .',
		startCommand: '/app/server'
	},
	{
		id: 'static',
		label: 'Static site',
		description: 'Serves the files of the root directory as they are.',
		runnerImage: 'slipway/runner-static',
		installCommand: null,
		buildCommand: null,
		startCommand: null
	}
];

export function isPresetId(value: string): value is PresetId {
	return (PRESET_IDS as readonly string[]).includes(value);
}

export function getPreset(id: PresetId): Preset {
	const preset = PRESETS.find((p) => p.id === id);
	if (!preset) throw new Error(`Preset ${id} is missing from the catalog`);
	return preset;
}

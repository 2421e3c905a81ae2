/** The build presets a project can use (server: projects/presets/catalog.ts). */
export const presetOptions = [
	{ value: '', label: 'Detect at each build' },
	{ value: 'node', label: 'Node.js' },
	{ value: 'python', label: 'Python' },
	{ value: 'go', label: 'Go' },
	{ value: 'static', label: 'Static site' },
	{ value: 'dockerfile', label: 'Dockerfile' }
];

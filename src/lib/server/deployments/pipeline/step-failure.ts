import type { FailureStage } from '../state-machine.ts';

/** A step ended the deployment: `reason` is shown to the user as is. */
export class StepFailure extends Error {
	readonly stage: FailureStage;
	constructor(stage: FailureStage, reason: string, options?: { cause?: unknown }) {
		super(reason, options);
		this.name = 'StepFailure';
		this.stage = stage;
	}
}

/** The deployment was canceled (or superseded) while a step ran. */
export class StepCanceled extends Error {
	constructor() {
		super('canceled');
		this.name = 'StepCanceled';
	}
}

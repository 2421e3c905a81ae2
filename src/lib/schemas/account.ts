import { z } from 'zod';

// Shared by the forms (client-side validation) and the server (the real check).
export const email = z
	.string()
	.trim()
	.toLowerCase()
	.max(254, 'Email is too long.')
	.pipe(z.email({ error: 'Enter a valid email address, like you@example.com.' }));

export const newPassword = z
	.string()
	.min(10, 'Use at least 10 characters.')
	.max(256, 'Use at most 256 characters.');

export const displayName = z
	.string()
	.trim()
	.min(1, 'Enter your name.')
	.max(100, 'Use at most 100 characters.');

export const signupSchema = z.object({ name: displayName, email, password: newPassword });
export const loginSchema = z.object({
	email,
	password: z.string().min(1, 'Enter your password.').max(256)
});
export const profileSchema = z.object({ name: displayName, email });
export const changePasswordSchema = z.object({
	/** Empty for an account without a password yet (made through GitHub): it sets a first one. */
	currentPassword: z.string().max(256),
	newPassword
});
export const teamNameSchema = z.object({
	name: z.string().trim().min(1, 'Enter a team name.').max(60, 'Use at most 60 characters.')
});

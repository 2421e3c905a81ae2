import type { Locator } from '@playwright/test';
import { expect, test, type Page } from './test.ts';
import { eq, sql } from 'drizzle-orm';
import { deployments, projects, users } from '../../src/lib/server/db/schema/index.ts';
import { e2eDb } from './instance.ts';
import { newUser, signUp } from './helpers.ts';

const LINES = 100_000;

/**
 * A project with one deployment that failed its build after writing `lines` log lines, made
 * straight in the database: the point is the page, not a real build of 100,000 lines.
 */
async function seed(email: string, lines: number) {
	const { db, close } = e2eDb();
	try {
		const [user] = await db.select().from(users).where(eq(users.email, email));
		const teamId = (
			await db.execute<{ id: string }>(
				sql`select team_id as id from team_members where user_id = ${user.id} limit 1`
			)
		)[0].id;
		const slug = `logs-${Math.random().toString(36).slice(2, 8)}`;
		const [project] = await db
			.insert(projects)
			.values({
				teamId,
				slug,
				name: slug,
				sourceKind: 'https',
				repoUrl: 'https://example.com/x.git'
			})
			.returning();
		await db.execute(
			sql`insert into environments (project_id, name, slug, is_production, position) values (${project.id}, 'Production', 'production', true, 0)`
		);
		const at = (s: number) => new Date(Date.now() - 3_600_000 + s * 1000);
		const [deployment] = await db
			.insert(deployments)
			.values({
				projectId: project.id,
				branch: 'main',
				commitSha: 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
				commitMessage: 'Render the invoice list with the new table\n\nLonger body.',
				trigger: 'push',
				state: 'failed',
				failureStage: 'build',
				failureReason: 'The build command exited with code 1 (npm run build).',
				configSnapshot: { alias: { kind: 'production' }, environment: 'Production' },
				createdBy: user.id,
				createdAt: at(0),
				buildStartedAt: at(2),
				finishedAt: at(95)
			})
			.returning();
		await db.execute(sql`
			insert into deployment_logs (deployment_id, stream, line, at)
			select ${deployment.id},
				(case when i % 10 = 0 then 'stderr' when i <= 5 then 'platform' else 'build' end)::log_stream,
				case when i % 10 = 0 then chr(27) || '[31merror ' || i || ': cannot resolve ./table' || chr(27) || '[0m'
					when i % 7 = 0 then 'line ' || i || ' ' || chr(27) || '[1;32mok' || chr(27) || '[0m <b>not bold</b>'
					else 'line ' || i end,
				${at(3).toISOString()}::timestamptz + i * interval '0.5 ms'
			from generate_series(1, ${lines}::int) i`);
		return { project: slug, deployment: deployment.id };
	} finally {
		await close();
	}
}

/** The log numbers of the rows in view of the list, top to bottom. */
function rowsInView(viewport: Locator) {
	return viewport.evaluate((el) => {
		const top = el.getBoundingClientRect().top;
		const bottom = el.getBoundingClientRect().bottom;
		return [...el.querySelectorAll('[data-testid="log-row"]')]
			.filter(
				(r) => r.getBoundingClientRect().top >= top && r.getBoundingClientRect().bottom <= bottom
			)
			.map((r) => Number(/(?:line|error) (\d+)/.exec(r.textContent ?? '')?.[1]));
	});
}

test('a deployment page with 100,000 stored lines opens at the newest, pages back and scrolls', async ({
	page
}) => {
	test.setTimeout(120_000);
	const user = newUser('logs');
	const team = await signUp(page, user);
	const { project, deployment } = await seed(user.email, LINES);
	const started = Date.now();
	await page.goto(`${team}/${project}/deployments/${deployment}`);
	// The newest lines show within a moment: only the last 1,000 come first.
	const newest = page.getByTestId('log-row').filter({ hasText: `error ${LINES}:` });
	await expect(newest).toBeVisible({ timeout: 5_000 });
	console.log(`newest of ${LINES} lines visible in ${Date.now() - started} ms`);
	await expect(page.getByRole('heading', { name: /Deployment/ })).toBeVisible();
	await expect(page.getByText('Failed during the build')).toBeVisible();
	const viewport = page.getByTestId('log-viewport');
	await expect(viewport).toHaveAttribute('data-lines', '1000');
	await expect(page.getByText('1,000 lines (99,000 older above)')).toBeVisible();
	await expect(page.getByTestId('log-status')).toHaveText(/Complete/);
	// Only the rows in view exist, and it follows the end of the log.
	expect(await page.getByTestId('log-row').count()).toBeLessThan(150);
	await expect(page.getByTestId('log-row').last()).toContainText(`error ${LINES}`);

	// With every line of the newest 1,000 filtered out, "Load older lines" (keyboard) fetches more.
	await page.getByRole('checkbox', { name: 'Build' }).uncheck();
	await page.getByRole('checkbox', { name: 'Runtime' }).uncheck();
	await expect(viewport).toHaveAttribute('data-lines', '0');
	const more = page.getByRole('button', { name: 'Load older lines' });
	await viewport.evaluate(
		() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
	);
	await expect(more).toBeVisible();
	await viewport.screenshot({ path: 'test-results/screenshots/log-top.png' });
	const total = async () =>
		Number((await page.getByText(/ lines \(/).textContent())!.split(' ')[0].replace(/,/g, ''));
	const before = await total();
	await more.focus();
	await page.keyboard.press('Enter');
	await expect.poll(total).toBe(before + 2000);
	await page.getByRole('checkbox', { name: 'Build' }).check();
	await page.getByRole('checkbox', { name: 'Runtime' }).check();
	await expect(viewport).toHaveAttribute('data-lines', String(before + 2000));
	await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight));

	// Scrolling to the top brings the page before in, and the line in view stays where it was.
	await viewport.evaluate((el) => (el.scrollTop = 0));
	const held = before + 2000;
	await expect(viewport).toHaveAttribute('data-lines', String(held + 2000));
	await expect(page.getByRole('button', { name: 'Load older lines' })).not.toBeInViewport();
	// The oldest line held before is still right below where the control was.
	expect((await rowsInView(viewport)).slice(0, 3)).toEqual([
		LINES - held - 1,
		LINES - held,
		LINES - held + 1
	]);
	const y = await viewport.evaluate(
		(el, n) => {
			const row = [...el.querySelectorAll('[data-testid="log-row"]')].find((r) =>
				new RegExp(`line ${n}\\b`).test(r.textContent ?? '')
			);
			return row!.getBoundingClientRect().top - el.getBoundingClientRect().top;
		},
		LINES - held + 1
	);
	expect(y).toBeCloseTo(32 + 8, 0);
	await viewport.evaluate((el) => (el.scrollTop = 0));
	await expect(viewport).toHaveAttribute('data-lines', String(held + 4000));
	await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight / 2 - 200));
	await expect.poll(() => rowsInView(viewport).then((r) => r.length)).toBeGreaterThan(10);
	const middle = await rowsInView(viewport);
	expect(middle).toEqual(middle.map((_, i) => middle[0] + i));

	// The first line of the log is reachable, every line once and in order.
	const beginning = page.getByText('Beginning of the log');
	const started2 = Date.now();
	await expect
		.poll(
			async () => {
				await viewport.evaluate((el) => (el.scrollTop = 0));
				return Number(await viewport.getAttribute('data-lines'));
			},
			{ intervals: [100], timeout: 60_000 }
		)
		.toBe(LINES);
	console.log(`paged back to the first line in ${Date.now() - started2} ms`);
	await viewport.evaluate((el) => (el.scrollTop = 0));
	await expect(beginning).toBeVisible();
	await viewport.screenshot({ path: 'test-results/screenshots/log-beginning.png' });
	await expect(viewport).toHaveAttribute('data-lines', String(LINES));
	await expect(page.getByText(`${LINES.toLocaleString('en-US')} lines`)).toBeVisible();
	expect((await rowsInView(viewport)).slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
	await expect(page.getByTestId('log-row').first()).toContainText('line 1');
	await expect(page.getByText('<b>not bold</b>').first()).toBeVisible();
	await expect(page.getByText('Jump to latest')).toBeVisible();

	// Scrolling to the middle and back stays quick: a frame or two per jump.
	const timings = await viewport.evaluate(async (el) => {
		const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
		const out: number[] = [];
		for (let i = 1; i <= 20; i++) {
			const started = performance.now();
			el.scrollTop = (el.scrollHeight * i) / 21;
			await frame();
			await frame();
			out.push(performance.now() - started);
		}
		return out;
	});
	expect(Math.max(...timings)).toBeLessThan(500);
	await viewport.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
	await expect(
		page
			.getByTestId('log-row')
			.filter({ hasText: /line (49|50)\d{3}/ })
			.first()
	).toBeVisible();

	// Filter: hiding build lines leaves stderr and platform.
	await page.getByRole('checkbox', { name: 'Build' }).uncheck();
	await expect(viewport).toHaveAttribute('data-lines', String(LINES / 10 + 5));
	await viewport.evaluate((el) => (el.scrollTop = 0));
	await page.getByRole('button', { name: /Jump to latest/ }).click();
	await expect(page.getByTestId('log-row').last()).toContainText(`error ${LINES}`);

	// Download is offered for the whole log.
	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download' }).click();
	expect((await download).suggestedFilename()).toMatch(/\.log\.txt$/);
});

test('the log explorer finds lines and says when nothing matches', async ({ page }) => {
	const user = newUser('explorer');
	const team = await signUp(page, user);
	const { project } = await seed(user.email, 200);
	await page.goto(`${team}/${project}/logs`);
	await page.getByRole('searchbox').fill('cannot resolve');
	await page.getByLabel('Time range').selectOption('all');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByTestId('log-results').getByRole('listitem')).toHaveCount(20);
	await expect(page.getByTestId('log-results').getByRole('listitem').first()).toContainText(
		'error 200: cannot resolve ./table'
	);
	await page.getByRole('searchbox').fill('no such words anywhere');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(page.getByText('No log lines match.')).toBeVisible();
});

const viewports = {
	desktop: { width: 1280, height: 800 },
	phone: { width: 375, height: 740 }
};

async function capture(page: Page, name: string, ready: () => Promise<void>) {
	for (const [size, viewport] of Object.entries(viewports)) {
		await page.setViewportSize(viewport);
		for (const theme of ['light', 'dark'] as const) {
			await page.emulateMedia({ colorScheme: theme });
			await page.reload();
			await ready();
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `${name} scrolls sideways at ${size} ${theme}`).toBeLessThanOrEqual(0);
			const path = `test-results/screenshots/${name}-${size}-${theme}.png`;
			await page.screenshot({ path, fullPage: true });
			await test.info().attach(`${name}-${size}-${theme}`, { path, contentType: 'image/png' });
		}
	}
}

test('screenshots of the deployment page and the log explorer', async ({ page }) => {
	test.setTimeout(120_000);
	const user = newUser('shots');
	const team = await signUp(page, user);
	const { project, deployment } = await seed(user.email, 3000);
	await page.goto(`${team}/${project}/deployments/${deployment}`);
	await capture(page, 'deployment', async () => {
		await expect(page.getByTestId('log-viewport')).toHaveAttribute('data-lines', '1000');
	});
	await page.goto(`${team}/${project}/logs?q=cannot&range=all`);
	await capture(page, 'logs-explorer', async () => {
		await expect(page.getByTestId('log-results')).toBeVisible();
	});
	await page.goto(`${team}/${project}/logs?q=nothing-like-this&range=all`);
	await capture(page, 'logs-explorer-empty', async () => {
		await expect(page.getByText('No log lines match.')).toBeVisible();
	});
});

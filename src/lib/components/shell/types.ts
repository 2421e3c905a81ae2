/** What the shell shows about the signed-in user and their teams (from the (app) layout load). */
export type ShellUser = { name: string; email: string; isInstanceAdmin?: boolean };
export type ShellTeam = { slug: string; name: string; role: string; personal: boolean };

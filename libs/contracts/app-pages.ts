/**
 * The web app's page paths (apps/web serves them under /app): emails, the calendar feed and the
 * app itself link to work with these. They hold ids only, never a secret.
 */
export const APP_BASE_PATH = '/app';

export const appPages = {
  myWork: (): string => `${APP_BASE_PATH}/`,
  task: (taskId: string): string => `${APP_BASE_PATH}/tasks/${encodeURIComponent(taskId)}`,
  incident: (incidentId: string): string => `${APP_BASE_PATH}/incidents/${encodeURIComponent(incidentId)}`,
  inventory: (): string => `${APP_BASE_PATH}/inventory`,
  signIn: (): string => `${APP_BASE_PATH}/sign-in`,
};

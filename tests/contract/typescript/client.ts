// What a web or mobile team writes against the types openapi-typescript generates from the
// served document (`./api` is generated beside this file by tests/contract/test_typescript_types.py).
// `tsc --strict` must accept it: the lines marked `@ts-expect-error` must be type errors.
import type { components, operations, paths } from "./api";

type Schemas = components["schemas"];
type Goal = Schemas["Goal"];
type Json<T> = T extends { content: { "application/json": infer Body } } ? Body : never;
type Answer<Op extends keyof operations, Status extends keyof operations[Op]["responses"]> = Json<
  operations[Op]["responses"][Status]
>;
type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

const API = "http://127.0.0.1:5000";

async function call<Op extends keyof operations>(
  method: string,
  path: string,
  token: string | null,
  body?: Body<Op>,
): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${API}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: response.status === 204 ? null : await response.json() };
}

// A create body is the writable fields only: `title` alone is enough.
const newGoal: Body<"createGoal"> = { title: "Walk 30 minutes", category: "fitness" };
// @ts-expect-error `goalId` is read-only: no create body has it.
const withId: Body<"createGoal"> = { title: "Walk", goalId: "01M8B3NJKH29GSA41PSCXE3J1T" };
// @ts-expect-error the categories are one named enum.
const badCategory: Schemas["GoalCategory"] = "hobbies";

// A goal as answered: every field is there; a habit has no target (null, never undefined).
function describe(goal: Goal): string {
  const every: string = goal.schedule === null ? "a target" : goal.schedule.frequency;
  // @ts-expect-error `schedule` may be null, and TypeScript knows it.
  const unchecked: string = goal.schedule.frequency;
  const streak: number = goal.progress.streakCurrent;
  const lastDay: string | null = goal.progress.lastCheckInDate;
  const ends: string | null = goal.endDate;
  return `${goal.title}: ${every}, streak ${streak} (${lastDay ?? "never"}, until ${ends ?? "open"})`;
}

// 401, 404 and 429 come either from the app (the envelope) or from API Gateway ({message}).
type NotFound = Answer<"getGoal", 404>;
const fromTheApp: NotFound = {
  error: "Not Found",
  message: "The resource does not exist.",
  timestamp: "2026-11-26T06:30:00Z",
  requestId: "abc",
};
const fromTheGateway: NotFound = { message: "Not Found" };
function reason(answer: Answer<"listGoals", 401>): string {
  return "error" in answer ? `${answer.error}: ${answer.message}` : answer.message;
}
// A 400 is always the app's envelope.
// @ts-expect-error the gateway never answers 400.
const badRequest: Answer<"createGoal", 400> = { message: "Bad Request" };

// Metrics: the unit is one enum, the value a number; exports are typed too.
const weight: Body<"createMetric"> = {
  type: "weight",
  value: 72.5,
  unit: "kg",
  recordedAt: "2026-11-26T07:00:00+01:00",
  source: null,
};
function exported(page: Answer<"exportProfile", 200>): number {
  return page.metrics.reduce((sum, metric) => sum + metric.value, 0);
}
const units: Schemas["MetricExport"]["unit"][] = ["kg", "ml", "count"];

// The coach's body is optional, and so is the one marking a notification read.
const noBody: Body<"generateInsights"> | undefined = undefined;
const noReadBody: Body<"markNotificationRead"> | undefined = undefined;

// Devices: the push token is sent, never answered (only its last characters).
const phone: Body<"registerDevice"> = { platform: "ios", token: "c0ffee" };
// @ts-expect-error the platforms are one named enum.
const badPlatform: Schemas["DevicePlatform"] = "windows";
function suffix(device: Answer<"registerDevice", 201>): string {
  // @ts-expect-error a device as answered has no token.
  const leaked: string = device.token;
  return `${device.platform} …${device.tokenSuffix} ${leaked}`;
}

// The inbox: a notification may be about no goal and unread (null, never undefined).
function unread(page: Answer<"listNotifications", 200>): string[] {
  return page.items
    .filter((notification) => notification.readAt === null)
    .map((notification) => `${notification.kind}: ${notification.goalId ?? "no goal"}`);
}

// The change feed: a change is typed by its `kind`, its `data` the resource as GET answers it
// (null for a delete).
function describeChange(change: Schemas["Change"]): string {
  switch (change.kind) {
    case "goal":
      return change.data === null ? `goal ${change.id} deleted` : describe(change.data);
    case "metric":
      return change.data === null ? "deleted" : `${change.data.value} ${change.data.unit}`;
    case "profile":
      // @ts-expect-error a profile change carries a profile, which has no title.
      return change.data?.title ?? "";
    default:
      return `${change.kind} ${change.op} v${change.version}`;
  }
}
function resume(page: Answer<"listChanges", 200>): string | null {
  return page.hasMore ? page.next : null;
}

export async function session(token: string): Promise<string[]> {
  const created = await call<"createGoal">("POST", "/goals", token, newGoal);
  const goal = created.json as Answer<"createGoal", 201>;
  const listed = await call<"listGoals">("GET", "/goals?limit=20", token);
  const page = listed.json as Answer<"listGoals", 200>;
  const next: string | null = page.nextCursor;
  await call<"createMetric">("POST", "/metrics", token, weight);
  await call<"generateInsights">("POST", "/coach/insights", token, noBody);
  const registered = await call<"registerDevice">("POST", "/me/devices", token, phone);
  const inbox = await call<"listNotifications">("GET", "/notifications", token);
  const read = await call<"markNotificationRead">(
    "POST",
    `/notifications/${(inbox.json as Answer<"listNotifications", 200>).items[0].notificationId}/read`,
    token,
    noReadBody,
  );
  const feed = await call<"listChanges">("GET", "/sync?limit=100", token);
  const changes = feed.json as Answer<"listChanges", 200>;
  const missing = await call<"getGoal">("GET", `/goals/${goal.goalId}`, null);
  const path: keyof paths = "/goals/{goal_id}";
  return [
    describe(goal),
    String(next),
    reason(missing.json as Answer<"listGoals", 401>),
    path,
    String(exported),
    units.join(),
    suffix(registered.json as Answer<"registerDevice", 201>),
    ...unread(inbox.json as Answer<"listNotifications", 200>),
    (read.json as Answer<"markNotificationRead", 200>).readAt ?? "unread",
    ...changes.changes.map(describeChange),
    String(resume(changes)),
    JSON.stringify([withId, badCategory, badPlatform, fromTheApp, fromTheGateway, badRequest]),
  ];
}

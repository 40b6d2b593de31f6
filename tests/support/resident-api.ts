/**
 * A new resident asking one question through the web chat's JSON API (a fresh chat each time).
 */

/** The replies' texts a new web chat gets for `text` from the app at `url`, joined by new lines. */
export async function residentAsks(url: string, text: string): Promise<string> {
  const chat = (await (await fetch(`${url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string; token: string };
  const res = await fetch(`${url}/api/chat/sessions/${chat.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${chat.token}` }, body: JSON.stringify({ text }) });
  return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
}

/** A resident's question through the web chat API, as a new chat. */

/** Asks `text` in a new web chat on the app at `url`; resolves with the bot's replies joined by newlines. */
export async function residentAsks(url: string, text: string): Promise<string> {
  const chat = (await (await fetch(`${url}/api/chat/sessions`, { method: "POST", body: "{}" })).json()) as { id: string; token: string };
  const res = await fetch(`${url}/api/chat/sessions/${chat.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${chat.token}` }, body: JSON.stringify({ text }) });
  return ((await res.json()) as { replies: { text: string }[] }).replies.map((r) => r.text).join("\n");
}

import type OpenAI from "openai";
import { AiFailure } from "./failure.ts";

/** What one request brought back: the text, the model that wrote it, the tokens it cost. */
export type Exchange = { text: string; model: string | undefined; tokens: number };

/** A Chat Completions answer: its text, or why it cannot be used (refusal, truncation, a tool call). */
export function readChat(completion: OpenAI.ChatCompletion): Exchange {
  const choice = completion.choices?.[0];
  if (!choice?.message) throw new AiFailure("the model's answer had no message");
  const { message } = choice;
  if (message.refusal) throw new AiFailure(`the model refused: ${message.refusal.slice(0, 200)}`);
  if (choice.finish_reason === "length")
    throw new AiFailure("the model's answer was cut at its token limit (finish_reason: length)");
  if (choice.finish_reason === "content_filter")
    throw new AiFailure("the endpoint's content filter stopped the answer");
  if (message.tool_calls?.length) throw new AiFailure("the model called a tool instead of answering");
  if (!message.content?.trim()) throw new AiFailure("the model's answer was empty");
  return { text: message.content, model: completion.model, tokens: completion.usage?.total_tokens ?? 0 };
}

/** A Responses API answer, read the same way. */
export function readResponse(response: OpenAI.Responses.Response): Exchange {
  if (response.status === "incomplete") {
    const reason = response.incomplete_details?.reason;
    throw new AiFailure(
      reason === "content_filter"
        ? "the endpoint's content filter stopped the answer"
        : `the model's answer was cut at its token limit (status: incomplete, ${reason ?? "no reason"})`,
    );
  }
  if (response.status === "failed")
    throw new AiFailure(`the model failed: ${response.error?.message ?? "no reason given"}`);
  const texts: string[] = [];
  for (const item of response.output ?? []) {
    if (item.type === "function_call") throw new AiFailure("the model called a tool instead of answering");
    if (item.type !== "message") continue;
    for (const part of item.content) {
      if (part.type === "refusal") throw new AiFailure(`the model refused: ${part.refusal.slice(0, 200)}`);
      if (part.type === "output_text") texts.push(part.text);
    }
  }
  const text = texts.join("");
  if (!text.trim()) throw new AiFailure("the model's answer was empty");
  return { text, model: response.model, tokens: response.usage?.total_tokens ?? 0 };
}

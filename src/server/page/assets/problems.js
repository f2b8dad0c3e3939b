// The server's error sentence (its own words, which name the field at fault) with a title and
// what to do next, chosen by HTTP status and error code.
export function explain(status, code, message, retryAfter) {
  const detail = message || "The server gave no reason.";
  const wait = retryAfter ? `Try again in ${retryAfter} seconds.` : "Wait a few seconds and try again.";
  switch (true) {
    case status === 400:
      return { title: "The request was refused.", detail, next: "Correct the field it names and generate again." };
    case status === 401:
      return { title: "An API key is needed.", detail, next: "Generate again and enter the key you were given." };
    case status === 403:
      return { title: "This key may not do that.", detail, next: "Ask the server's operator for access, or choose another model." };
    case status === 404 && code === "ResourceNotFound":
      return { title: "That model is not available.", detail, next: "Choose another model in the Model list." };
    case status === 413:
      return { title: "The text or the attached files are too large to send.", detail,
        next: "Send a shorter text or fewer or smaller files, or split it into parts." };
    case status === 422 || code === "InputTooLong":
      return { title: "The text is too long for the model.", detail,
        next: "Shorten it, or for a summary choose “Split when too long for the model” under Long documents." };
    case status === 429:
      return { title: "Too many requests right now.", detail, next: wait };
    case status === 503:
      return { title: "The server is busy.", detail, next: wait };
    case status === 504:
      return { title: "The model took too long to answer.", detail, next: "Try again, or send a shorter text." };
    case status >= 500:
      return { title: "The model service failed.", detail, next: "Try again in a moment; if it keeps failing, choose another model." };
    default:
      return { title: `The request failed (HTTP ${status}).`, detail, next: "Try again." };
  }
}

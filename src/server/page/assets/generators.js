// What each generator sends to its /api endpoint (field names from docs/content-api.md) and
// what the page checks before sending: an empty required field, or input over its size limit,
// is refused in the browser with a sentence naming the field. body(form, hasFiles): attached
// files (attachments.js) stand in for the summary's text, the product's features and the social
// posts' content; the other generators still need their text.

// The platforms' names and character limits, as the content layer has them
// (src/content/social.cpp).
export const PLATFORMS = [
  { name: "x", label: "X (Twitter)", limit: 280 },
  { name: "linkedin", label: "LinkedIn", limit: 3000 },
  { name: "facebook", label: "Facebook", limit: 63206 },
  { name: "instagram", label: "Instagram", limit: 2200 },
  { name: "threads", label: "Threads", limit: 500 },
  { name: "mastodon", label: "Mastodon", limit: 500 },
];

const encoder = new TextEncoder();

// A refusal before sending: the field (an element to focus) and the sentence.
export class InputProblem extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

// namedItem, not elements[name]: "length" and "name" are properties of the collection itself.
function field(form, name) {
  return form.elements.namedItem(name);
}

function value(form, name) {
  return field(form, name).value;
}

function required(form, name, what, filesCanStandIn = false) {
  const el = field(form, name);
  const text = el.value;
  if (!text.trim()) {
    throw new InputProblem(el, filesCanStandIn
      ? `${what} is empty. Type or paste something, or attach a document or picture.`
      : `${what} is empty. Type or paste something first.`);
  }
  const max = Number(el.dataset.maxBytes || 0);
  const bytes = encoder.encode(text).length;
  if (max && bytes > max) {
    throw new InputProblem(el, `${what} is too long: ${bytes.toLocaleString()} bytes, at most ` +
      `${max.toLocaleString()} can be sent. Shorten it or split it into parts.`);
  }
  return text;
}

// Required unless files are attached; undefined when empty (the files are the input).
function requiredUnlessFiles(form, name, what, hasFiles) {
  if (hasFiles && !value(form, name).trim()) return undefined;
  return required(form, name, what, true);
}

function optional(form, name) {
  const text = value(form, name).trim();
  return text ? text : undefined;
}

function number(form, name, what, min, max) {
  const el = field(form, name);
  if (!el.value.trim()) return undefined;
  const n = Number(el.value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InputProblem(el, `${what} must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

function lines(text) {
  return text.split("\n").map((l) => l.trim()).filter(Boolean);
}

// Each generator: its endpoint and the body built from its form (throws InputProblem).
export const GENERATORS = {
  summarize: {
    path: "/api/summarize",
    title: "Summary",
    body(form, hasFiles) {
      return {
        text: requiredUnlessFiles(form, "text", "The text to summarize", hasFiles),
        paragraphs: number(form, "paragraphs", "Paragraphs", 1, 20),
        max_length: number(form, "max_length", "Maximum words", 1, 10000),
        chunking: value(form, "chunking"),
      };
    },
    markdown: (answer) => answer.summary,
  },
  rephrase: {
    path: "/api/rephrase",
    title: "Rephrased text",
    body(form) {
      const text = required(form, "text", "The text to rephrase");
      let style = value(form, "style");
      if (style === "custom") {
        style = required(form, "custom_style", "Your style");
        if (encoder.encode(style).length > 500) {
          throw new InputProblem(field(form, "custom_style"),
            "Your style is too long: describe it in at most 500 bytes.");
        }
      }
      return { text, style };
    },
    markdown: (answer) => answer.rephrased_text,
  },
  expand: {
    path: "/api/expand",
    title: "Expanded text",
    body(form) {
      const bullets = lines(required(form, "bullets", "The bullet points"));
      if (bullets.length > 100) {
        throw new InputProblem(field(form, "bullets"),
          `There are ${bullets.length} bullet points; at most 100 can be expanded at once.`);
      }
      return { bullets };
    },
    markdown: (answer) => answer.expanded_text,
  },
  blog: {
    path: "/api/blog",
    title: "Blog post",
    body(form) {
      return {
        topic: required(form, "topic", "The topic"),
        length: value(form, "length"),
        audience: optional(form, "audience"),
        tone: optional(form, "tone"),
      };
    },
    markdown: (answer) => answer.markdown,
  },
  product: {
    path: "/api/product",
    title: "Product description",
    body(form, hasFiles) {
      const name = required(form, "name", "The product name");
      const features = lines(requiredUnlessFiles(form, "features", "The features", hasFiles) || "");
      const audience = required(form, "audience", "The audience");
      return { name, features, audience, tone: optional(form, "tone") };
    },
    markdown: (answer) => answer.description,
  },
  social: {
    path: "/api/social",
    title: "Social posts",
    body(form, hasFiles) {
      const content = requiredUnlessFiles(form, "content", "What the posts are about", hasFiles);
      const platforms = [...form.querySelectorAll('input[name="platform"]:checked')]
        .map((el) => el.value);
      if (!platforms.length) {
        throw new InputProblem(form.querySelector('input[name="platform"]'),
          "No platform is ticked. Choose at least one.");
      }
      return { content, platforms };
    },
    markdown: (answer) => (answer.posts || [])
      .map((p) => `## ${labelOf(p.platform)}\n\n${p.text}\n`).join("\n"),
  },
};

export function labelOf(platform) {
  const found = PLATFORMS.find((p) => p.name === platform);
  return found ? found.label : platform;
}

export function limitOf(platform) {
  const found = PLATFORMS.find((p) => p.name === platform);
  return found ? found.limit : 0;
}

// Characters as the platforms count them: code points, and on X every link as 23.
export function postLength(platform, text) {
  const count = (s) => [...s].length;
  if (platform !== "x") return count(text);
  let length = 0;
  for (const word of text.split(/(\s+)/)) {
    length += /^https?:\/\//.test(word) ? 23 : count(word);
  }
  return length;
}

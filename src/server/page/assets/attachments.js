// Files that go with a request as attachments (PDFs, Office documents, images), one list per
// form, shown as removable chips. Each file is checked when it is added, against the limits
// Bedrock sets and the server enforces (src/server/api/api_inputs.h), so a file the model
// cannot take is refused here with words a writer understands, before anything is sent.

// Bedrock's limits (include/bedrock/models/attachment.h), in bytes of the file itself.
export const MAX_IMAGE_BYTES = 3932160; // 3.75 MB
export const MAX_DOCUMENT_BYTES = 4718592; // 4.5 MB
export const MAX_IMAGES = 20;
export const MAX_DOCUMENTS = 5;
// The server's default request limit ([server] max_body_bytes); files travel base64-encoded,
// a third larger than on disk.
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const IMAGE_TYPES = ["png", "jpg", "jpeg", "gif", "webp"];
const DOCUMENT_TYPES = ["pdf", "csv", "doc", "docx", "xls", "xlsx", "html", "htm"];
// Read into the text box instead (as before attachments existed).
const TEXT_TYPES = ["txt", "md", "markdown"];

// For <input type="file" accept>.
export const ACCEPT = [...TEXT_TYPES, ...DOCUMENT_TYPES, ...IMAGE_TYPES].map((t) => `.${t}`).join(",");

const lists = new Map(); // generator -> [{ file, kind }]

function extension(name) {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}

// "text" (read into the text box), "image", "document", or null (not a type the models read).
export function kindOf(file) {
  const ext = extension(file.name);
  if (TEXT_TYPES.includes(ext) || (!ext && /^text\/plain/.test(file.type))) return "text";
  if (IMAGE_TYPES.includes(ext)) return "image";
  if (DOCUMENT_TYPES.includes(ext)) return "document";
  return null;
}

export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;
}

export function filesOf(generator) {
  return lists.get(generator) || [];
}

// Adds a file to a form's list; returns a sentence saying why it was not added, or "" when it was.
export function addFile(generator, file, kind) {
  const list = filesOf(generator);
  if (kind === "image" && file.size > MAX_IMAGE_BYTES) {
    return `${file.name} is ${formatSize(file.size)}; a picture can be at most ` +
      `${formatSize(MAX_IMAGE_BYTES)}. Save it smaller (for example as JPEG, or at a lower resolution) and add it again.`;
  }
  if (kind === "document" && file.size > MAX_DOCUMENT_BYTES) {
    return `${file.name} is ${formatSize(file.size)}; a document can be at most ` +
      `${formatSize(MAX_DOCUMENT_BYTES)}. Split it into parts, or copy its text into the box instead.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  const count = list.filter((f) => f.kind === kind).length;
  if (kind === "image" && count >= MAX_IMAGES) {
    return `At most ${MAX_IMAGES} pictures can go with one request; ${file.name} was not added.`;
  }
  if (kind === "document" && count >= MAX_DOCUMENTS) {
    return `At most ${MAX_DOCUMENTS} documents can go with one request; ${file.name} was not added.`;
  }
  const total = list.reduce((sum, f) => sum + f.file.size, 0) + file.size;
  if (encodedSize(total) > MAX_REQUEST_BYTES) {
    return `With ${file.name} the files come to ${formatSize(total)}, more than the server takes in one ` +
      `request (about ${formatSize(MAX_REQUEST_BYTES * 3 / 4)}). Remove a file or send them in separate requests.`;
  }
  lists.set(generator, [...list, { file, kind }]);
  return "";
}

export function removeFile(generator, index) {
  lists.set(generator, filesOf(generator).filter((_, i) => i !== index));
}

function encodedSize(bytes) {
  return Math.ceil(bytes / 3) * 4;
}

// The size of the request once the files are encoded, to check against the server's limit.
export function requestBytes(generator, textBytes) {
  return textBytes + encodedSize(filesOf(generator).reduce((sum, f) => sum + f.file.size, 0)) +
    200 * filesOf(generator).length;
}

function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error || new Error(`${file.name} could not be read`));
    reader.readAsDataURL(file);
  });
}

// The request's "attachments" field: [{name, data}], the format taken from the name.
export async function encodeFiles(generator) {
  return Promise.all(filesOf(generator).map(async ({ file }) => ({ name: file.name, data: await base64(file) })));
}

// Shows a form's list as chips: name, size and a Remove button labelled with the file's name.
export function renderChips(generator, container, onRemove) {
  container.replaceChildren();
  const list = filesOf(generator);
  container.hidden = list.length === 0;
  list.forEach(({ file, kind }, index) => {
    const item = document.createElement("li");
    item.className = "chip";
    item.dataset.kind = kind;
    const name = document.createElement("span");
    name.className = "chip-name";
    name.textContent = file.name;
    const size = document.createElement("span");
    size.className = "chip-size";
    size.textContent = `${kind === "image" ? "picture" : "document"}, ${formatSize(file.size)}`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.textContent = "×";
    remove.setAttribute("aria-label", `Remove ${file.name}`);
    remove.addEventListener("click", () => onRemove(index));
    item.append(name, size, remove);
    container.append(item);
  });
}

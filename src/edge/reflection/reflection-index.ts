// What server reflection answers from: the files that describe the served
// services and everything they import, in a registry of @bufbuild/protobuf
// built from the generated descriptors. Nothing is read from disk: the
// descriptors the server decodes with are the ones it describes.
import { create, createFileRegistry, toBinary, type DescFile, type DescMessage, type DescService, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";

export interface ReflectionIndex {
  /** Full names of the served services, sorted. */
  readonly serviceNames: readonly string[];
  /** By path, such as "membership/v1/project.proto". */
  fileByName(name: string): DescFile | undefined;
  /** The file declaring a service, method, message, field, enum or extension by its full name. */
  fileBySymbol(symbol: string): DescFile | undefined;
  /** The file declaring the extension `number` of the message type `extendee`. */
  fileByExtension(extendee: string, number: number): DescFile | undefined;
  /** The extension numbers of a message type; undefined for an unknown type. */
  extensionNumbers(extendee: string): number[] | undefined;
  /**
   * A file, then its transitive imports that are not in `sent`, serialized;
   * the names of all are added to `sent`.
   */
  encodeWithImports(file: DescFile, sent: Set<string>): Uint8Array[];
}

/** Each file after everything it imports, each once. */
function withImports(roots: readonly DescFile[]): DescFile[] {
  const ordered: DescFile[] = [];
  const seen = new Set<string>();
  const visit = (file: DescFile) => {
    if (seen.has(file.proto.name)) return;
    seen.add(file.proto.name);
    file.dependencies.forEach(visit);
    ordered.push(file);
  };
  roots.forEach(visit);
  return ordered;
}

/**
 * The files of `services` and of `messages` (types that clients meet outside
 * any RPC's signature, such as error details), with their imports. `describe`
 * may add to each file's descriptor what the generated code leaves out
 * (source comments); it gets a copy and returns it.
 */
export function createReflectionIndex(
  services: readonly DescService[],
  messages: readonly DescMessage[] = [],
  describe: (proto: FileDescriptorProto) => FileDescriptorProto = (p) => p,
): ReflectionIndex {
  const files = withImports([...services, ...messages].map((d) => d.file));
  const registry: FileRegistry = createFileRegistry(create(FileDescriptorSetSchema, { file: files.map((f) => f.proto) }));
  const encoded = new Map<string, Uint8Array>();
  const encode = (file: DescFile) => {
    let bytes = encoded.get(file.proto.name);
    if (bytes === undefined) {
      bytes = toBinary(FileDescriptorProtoSchema, describe(file.proto));
      encoded.set(file.proto.name, bytes);
    }
    return bytes;
  };

  /** Types by name; methods and fields by their parent's name and their own. */
  function fileBySymbol(symbol: string): DescFile | undefined {
    const desc = registry.get(symbol);
    if (desc) return desc.file;
    const dot = symbol.lastIndexOf(".");
    if (dot < 0) return undefined;
    const parent = registry.get(symbol.slice(0, dot));
    const member = symbol.slice(dot + 1);
    if (parent?.kind === "service") return parent.methods.some((m) => m.name === member) ? parent.file : undefined;
    if (parent?.kind === "message") return parent.fields.some((f) => f.name === member) ? parent.file : undefined;
    return undefined;
  }

  return {
    serviceNames: [...new Set(services.map((s) => s.typeName))].sort(),
    fileByName: (name) => [...registry.files].find((f) => f.proto.name === name),
    fileBySymbol,
    fileByExtension(extendee, number) {
      const message = registry.getMessage(extendee);
      return message && registry.getExtensionFor(message, number)?.file;
    },
    extensionNumbers(extendee) {
      const message = registry.getMessage(extendee);
      if (!message) return undefined;
      const numbers: number[] = [];
      for (const desc of registry) if (desc.kind === "extension" && desc.extendee.typeName === extendee) numbers.push(desc.number);
      return numbers.sort((a, b) => a - b);
    },
    encodeWithImports(file, sent) {
      const out = [encode(file)];
      sent.add(file.proto.name);
      const pending = [...file.dependencies];
      for (let dep = pending.shift(); dep !== undefined; dep = pending.shift()) {
        if (sent.has(dep.proto.name)) continue;
        sent.add(dep.proto.name);
        out.push(encode(dep));
        pending.push(...dep.dependencies);
      }
      return out;
    },
  };
}

// The two kinds of member, drawn as inline SVG: no icon font, no emoji font,
// nothing fetched.
const SVG = "http://www.w3.org/2000/svg";

const PATHS = {
  // A head and shoulders.
  person: "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z",
  // A robot's head: antenna, face, two eyes.
  machine: "M11 2h2v3h4a3 3 0 0 1 3 3v9a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3V8a3 3 0 0 1 3-3h4V2Zm-2 8a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm-6 5v1.5h6V15H9Z",
};

/** An icon for a user or a machine identity, named for assistive technology. */
export function kindIcon(kind: keyof typeof PATHS, label: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("class", `icon ${kind}`);
  const title = document.createElementNS(SVG, "title");
  title.textContent = label;
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", PATHS[kind]);
  svg.append(title, path);
  return svg;
}

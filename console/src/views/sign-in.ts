// Sign-in: paste an API token (the bootstrap token, or one TokenService
// made). It is checked with one call before the console opens.
import { createApi } from "../api.ts";
import { field, h, show } from "../dom.ts";
import { showError } from "../notice.ts";
import { session } from "../session.ts";

export function renderSignIn(main: HTMLElement, done: () => void): void {
  const token = h("input", { type: "password", autocomplete: "off", required: true, spellcheck: false });
  const form = h(
    "form",
    {
      className: "card narrow",
      on: {
        submit: async (e) => {
          e.preventDefault();
          session.setToken(token.value.trim());
          try {
            await createApi().projects.listProjects({ pageSize: 1 });
            done();
          } catch (err) {
            session.signOut();
            showError(err);
          }
        },
      },
    },
    h("h2", {}, "Sign in"),
    field("API token", token, "Paste a token: the server's bootstrap token (data/membership.db.admin-token) or one from TokenService. It stays in this tab only."),
    h("button", { type: "submit" }, "Sign in"),
  );
  show(main, form);
  token.focus();
}

// What the console remembers. The token lives in session storage: it goes
// when the tab closes and is never sent anywhere but in the authorization
// header. Preferences (page size, protocol) live in local storage.
const TOKEN = "membership.token";
const ORG = "membership.org";
const PROTOCOL = "membership.protocol";
const PAGE_SIZE = "membership.pageSize";

export type Protocol = "grpc-web" | "connect";
export const PAGE_SIZES = [25, 50, 100] as const;

export const session = {
  token: () => sessionStorage.getItem(TOKEN) ?? "",
  setToken: (t: string) => sessionStorage.setItem(TOKEN, t),
  org: () => sessionStorage.getItem(ORG) ?? "",
  setOrg: (id: string) => sessionStorage.setItem(ORG, id),
  signOut: () => (sessionStorage.removeItem(TOKEN), sessionStorage.removeItem(ORG)),
  protocol: (): Protocol => (localStorage.getItem(PROTOCOL) === "connect" ? "connect" : "grpc-web"),
  setProtocol: (p: Protocol) => localStorage.setItem(PROTOCOL, p),
  pageSize: (): number => {
    const n = Number(localStorage.getItem(PAGE_SIZE));
    return (PAGE_SIZES as readonly number[]).includes(n) ? n : PAGE_SIZES[0];
  },
  setPageSize: (n: number) => localStorage.setItem(PAGE_SIZE, String(n)),
};

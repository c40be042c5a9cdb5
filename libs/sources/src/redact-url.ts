const HTTP_USERINFO = /\b(https?:\/\/)[^\s/?#@]*@/gi;
const USER_AND_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:]*:[^\s/?#@]*@/gi;

/**
 * Removes credentials from every scheme URL in `text` before it is printed: any `user@`/`token@`
 * of an http(s) URL, and `user:password@` of any other scheme (`ssh://git@host` stays as it is).
 */
export function redactUrl(text: string): string {
  return text.replace(HTTP_USERINFO, '$1').replace(USER_AND_PASSWORD, '$1');
}

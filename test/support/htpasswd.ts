import { execFile } from 'node:child_process';

/** One htpasswd line with a bcrypt hash (the only kind distribution's htpasswd auth accepts). */
export function bcryptHtpasswdLine(username: string, password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // -i reads the password from stdin, so it never shows in the process list.
    const child = execFile('htpasswd', ['-B', '-i', '-n', username], (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(`htpasswd -B -i -n ${username} failed: ${stderr.trim() || error.message} (package apache2-utils)`),
        );
        return;
      }
      resolve(stdout.trim());
    });
    child.stdin?.end(password);
  });
}

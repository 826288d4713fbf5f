import type { AccountCheckedTokens } from '../auth/account-check.ts';
import { accountRoom } from '../realtime/rooms.ts';
import type { IoServer } from '../realtime/types.ts';

export interface AccountChanges {
  /**
   * An account changed: every node drops its cached token answers about it, and with `disconnect` every
   * open socket of the account, on any node (through the adapter), is closed at once.
   */
  changed(userId: string, opts: { disconnect: boolean }): void;
}

export function accountChanges(io: IoServer, tokens: AccountCheckedTokens, clustered: boolean): AccountChanges {
  io.on('account:changed', (userId: string) => tokens.forget(userId));
  return {
    changed(userId, { disconnect }) {
      tokens.forget(userId);
      // Without an adapter there is no other node (and the in-memory adapter warns on serverSideEmit).
      if (clustered) io.serverSideEmit('account:changed', userId);
      if (disconnect) io.in(accountRoom(userId)).disconnectSockets(true);
    },
  };
}

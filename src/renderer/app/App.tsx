import { useEffect, useState } from 'react';
import { api } from '../api/client';

export function App() {
  const [status, setStatus] = useState<string>('connecting');
  useEffect(() => {
    api()
      .call('system.status', {})
      .then((s) => setStatus(`${s.appVersion} · ${s.store.state}`))
      .catch((e: Error) => setStatus(e.message));
  }, []);
  return <div>Counterbook {status}</div>;
}

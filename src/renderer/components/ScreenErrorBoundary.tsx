import { Component, Fragment, type ErrorInfo, type ReactNode } from 'react';
import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import { AlertIcon } from './icons';

interface Props {
  /** Names the screen in the message ("The Orders screen stopped working"). */
  screen: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  /** Bumped by "Reload this screen" to mount the screen afresh. */
  attempt: number;
}

/** Catches a crash in one screen and offers to reload it, instead of a white page. */
export class ScreenErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error(`The ${this.props.screen} screen crashed`, error, info.componentStack);
  }

  private readonly reload = (): void => {
    this.setState((s) => ({ error: null, attempt: s.attempt + 1 }));
  };

  override render(): ReactNode {
    const { error, attempt } = this.state;
    if (!error) return <Fragment key={attempt}>{this.props.children}</Fragment>;
    return (
      <Alert color="red" variant="light" icon={<AlertIcon />} title={`The ${this.props.screen} screen stopped working`} maw={720}>
        <Stack gap="sm" align="flex-start">
          <Text size="sm">The rest of Counterbook still works, and everything already saved is safe. Unsaved input on this screen may be lost. What went wrong:</Text>
          <Code block>{error.message || error.name}</Code>
          <Button variant="filled" color="red" onClick={this.reload}>
            Reload this screen
          </Button>
        </Stack>
      </Alert>
    );
  }
}

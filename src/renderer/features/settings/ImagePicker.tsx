import { useId, useState } from 'react';
import { Button, Center, FileButton, Group, Image, Input, Stack, Text } from '@mantine/core';
import { dataUrlInfo, formatBytes, IMAGE_TYPES, imageFileProblem } from './convert';

interface ImagePickerProps {
  /** "Logo". */
  label: string;
  description: string;
  /** The image as a data URL, or null for none. */
  value: string | null;
  onChange: (value: string | null) => void;
  /** The core's message for this field. */
  error?: string | undefined;
  disabled?: boolean;
}

const DATA_URL = /^data:image\/(png|jpeg|svg\+xml|webp);base64,/;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

/**
 * Picks an image for receipts and invoices: checked here (type, under 1 MB), read in
 * the browser into a data URL, previewed, and sent with the section's Save.
 */
export function ImagePicker({ label, description, value, onChange, error, disabled = false }: ImagePickerProps) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const info = value ? dataUrlInfo(value) : null;

  const pick = async (file: File | null): Promise<void> => {
    if (!file) return;
    setProblem(null);
    const why = imageFileProblem(file);
    if (why) {
      setProblem(why);
      return;
    }
    setReading(true);
    try {
      const dataUrl = await readAsDataUrl(file);
      if (!DATA_URL.test(dataUrl)) setProblem(`“${file.name}” could not be read as an image.`);
      else onChange(dataUrl);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setReading(false);
    }
  };

  const shownError = problem ?? error;
  return (
    <Input.Wrapper
      label={label}
      description={description}
      error={shownError}
      labelElement="div"
      inputWrapperOrder={['label', 'description', 'input', 'error']}
      role="group"
      aria-labelledby={`${id}-label`}
      aria-describedby={`${id}-description${shownError ? ` ${id}-error` : ''}`}
      labelProps={{ id: `${id}-label` }}
      descriptionProps={{ id: `${id}-description` }}
      errorProps={{ id: `${id}-error` }}
    >
      <Group gap="md" mt={6} align="center" wrap="nowrap">
        <Center
          w={132}
          h={88}
          style={{
            flexShrink: 0,
            borderRadius: 'var(--mantine-radius-md)',
            border: `1px ${value ? 'solid' : 'dashed'} ${shownError ? 'var(--mantine-color-error)' : 'var(--mantine-color-gray-4)'}`,
            // A light checkerboard shows transparent parts of the image.
            background: value ? 'repeating-conic-gradient(#f1f3f5 0% 25%, #fff 0% 50%) 50% / 14px 14px' : 'var(--mantine-color-gray-0)',
            overflow: 'hidden',
          }}
        >
          {value ? (
            <Image src={value} alt={`${label} preview`} fit="contain" w="100%" h="100%" p={6} />
          ) : (
            <Text size="xs" c="dimmed">
              No image
            </Text>
          )}
        </Center>
        <Stack gap={6} style={{ minWidth: 0 }}>
          {info && (
            <Text size="xs" c="dimmed">
              {info.type} · {formatBytes(info.bytes)}
            </Text>
          )}
          <Group gap="xs">
            <FileButton onChange={(file) => void pick(file)} accept={IMAGE_TYPES.join(',')} disabled={disabled}>
              {(props) => (
                <Button {...props} variant="default" size="xs" loading={reading} disabled={disabled}>
                  {value ? `Replace ${label.toLowerCase()}…` : `Choose ${label.toLowerCase()}…`}
                </Button>
              )}
            </FileButton>
            {value && (
              <Button
                variant="subtle"
                color="red"
                size="xs"
                disabled={disabled}
                onClick={() => {
                  setProblem(null);
                  onChange(null);
                }}
              >
                Remove
              </Button>
            )}
          </Group>
        </Stack>
      </Group>
    </Input.Wrapper>
  );
}

using System.Buffers;
using System.Text.Json;
using Factory.Contracts.Link;

namespace Factory.Link;

/// <summary>
/// Writes a <see cref="RecordBatch"/> from records whose bodies are already JSON (as the edge's
/// outbox keeps them), without parsing them again.
/// </summary>
public static class RecordBatchWriter
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = false };

    /// <param name="line">The line whose records these are.</param>
    /// <param name="records">Sequence, kind and JSON body of each record, in the order to send.</param>
    public static byte[] Write(string line, IEnumerable<(long Sequence, string Kind, ReadOnlyMemory<byte> Body)> records)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("v", LinkTopics.Version);
            json.WriteString("line", line);
            json.WriteStartArray("records");
            foreach (var (sequence, kind, body) in records)
            {
                json.WriteStartObject();
                json.WriteNumber("seq", sequence);
                json.WriteString("kind", kind);
                json.WritePropertyName("body");

                // Not parsed again: each body was written by our serializer and its CRC checked when it
                // was read back. A body broken all the same makes the cloud set the batch aside, loudly.
                json.WriteRawValue(body.Span, skipInputValidation: true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

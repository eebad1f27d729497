using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Factory.Contracts.Alarms;
using Factory.Contracts.Link;
using Factory.Contracts.Telemetry;
using Microsoft.Extensions.Logging;

namespace Factory.Cloud.Storage;

/// <summary>Reading the log back at open: whole records indexed, a torn tail cut off, damaged records skipped.</summary>
public sealed partial class EmbeddedTelemetryStore
{
    private void Replay()
    {
        var length = _file.Length;
        if (length < LogFormat.Header.Length)
        {
            // New, or cut short while its header was written: nothing was stored yet.
            _file.SetLength(0);
            _file.Write(LogFormat.Header);
            _file.Flush(flushToDisk: true);
            return;
        }

        if (length > int.MaxValue)
        {
            throw new TelemetryStoreException($"The embedded telemetry store {Path} holds {length} bytes, more than it can read back (2 GiB): configure InfluxDB instead.", transient: false);
        }

        var bytes = new byte[length];
        _file.Seek(0, SeekOrigin.Begin);
        _file.ReadExactly(bytes);
        if (!bytes.AsSpan(0, LogFormat.Header.Length).SequenceEqual(LogFormat.Header))
        {
            throw new TelemetryStoreException($"{Path} is not a telemetry log of this version (it does not start with '{Encoding.ASCII.GetString(LogFormat.Header).TrimEnd()}'); move it away to start an empty store.", transient: false);
        }

        var records = new TelemetryRecords();
        var position = LogFormat.Header.Length;
        while (position < bytes.Length)
        {
            if (LogFormat.TryRead(bytes, position, records, out var next))
            {
                position = next;
                continue;
            }

            var resume = position + 1;
            while (resume < bytes.Length && !LogFormat.TryRead(bytes, resume, null, out _))
            {
                resume++;
            }

            if (resume >= bytes.Length)
            {
                // Nothing whole follows: a write torn by a crash. Cut it off so that the next record starts clean.
                _logger.LogWarning("{File}: the last {Bytes} bytes, from offset {Offset}, are not a whole record (a write cut short by a crash); cut off", Path, bytes.Length - position, position);
                _file.SetLength(position);
                _file.Flush(flushToDisk: true);
                break;
            }

            _logger.LogError("{File}: the {Bytes} bytes from offset {Offset} are damaged (length or checksum wrong); skipped, the records after them are kept", Path, resume - position, position);
            position = resume;
        }

        Index(records.ToBatch());
        _logger.LogInformation("{File}: {Records} records read back", Path, records.Count);
    }

    private sealed class TelemetryRecords
    {
        public List<SensorSummary> Summaries { get; } = [];

        public List<MachineHealth> Health { get; } = [];

        public List<AlarmEvent> Alarms { get; } = [];

        public List<AnomalyWindow> Windows { get; } = [];

        public int Count => Summaries.Count + Health.Count + Alarms.Count + Windows.Count;

        public TelemetryBatch ToBatch() => new(Summaries, Health, Alarms, Windows);
    }

    /// <summary>
    /// The log: an 8-byte header, then records of [payload length: u32 LE][CRC-32 of the payload:
    /// u32 LE][payload: a kind byte and the record's JSON (the link's shape)].
    /// </summary>
    private static class LogFormat
    {
        public const int MaxPayload = 64 * 1024 * 1024;

        private const byte Summary = 1;
        private const byte Health = 2;
        private const byte Alarm = 3;
        private const byte Window = 4;

        public static ReadOnlySpan<byte> Header => "FTLOG01\n"u8;

        public static byte[] Frames(TelemetryBatch batch)
        {
            using var buffer = new MemoryStream();
            foreach (var s in batch.Summaries)
            {
                Frame(buffer, Summary, JsonSerializer.SerializeToUtf8Bytes(s, LinkJsonContext.Default.SensorSummary));
            }

            foreach (var h in batch.Health)
            {
                Frame(buffer, Health, JsonSerializer.SerializeToUtf8Bytes(h, LinkJsonContext.Default.MachineHealth));
            }

            foreach (var a in batch.Alarms)
            {
                Frame(buffer, Alarm, JsonSerializer.SerializeToUtf8Bytes(a, LinkJsonContext.Default.AlarmEvent));
            }

            foreach (var w in batch.AnomalyWindows)
            {
                Frame(buffer, Window, JsonSerializer.SerializeToUtf8Bytes(w, LinkJsonContext.Default.AnomalyWindow));
            }

            return buffer.ToArray();
        }

        /// <summary>Whether a whole, intact record starts at <paramref name="position"/>; if so (and <paramref name="into"/> is given) it is added there.</summary>
        public static bool TryRead(byte[] bytes, int position, TelemetryRecords? into, out int next)
        {
            next = position;
            if (bytes.Length - position < 8)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position));
            if (length is < 2 or > MaxPayload || length > bytes.Length - position - 8)
            {
                return false;
            }

            var payload = bytes.AsSpan(position + 8, (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4)) != Crc32.Compute(payload))
            {
                return false;
            }

            try
            {
                var json = payload[1..];
                switch (payload[0])
                {
                    case Summary: Add(into?.Summaries, JsonSerializer.Deserialize(json, LinkJsonContext.Default.SensorSummary)); break;
                    case Health: Add(into?.Health, JsonSerializer.Deserialize(json, LinkJsonContext.Default.MachineHealth)); break;
                    case Alarm: Add(into?.Alarms, JsonSerializer.Deserialize(json, LinkJsonContext.Default.AlarmEvent)); break;
                    case Window: Add(into?.Windows, JsonSerializer.Deserialize(json, LinkJsonContext.Default.AnomalyWindow)); break;
                    default: return false;
                }
            }
            catch (JsonException)
            {
                return false;
            }

            next = position + 8 + (int)length;
            return true;
        }

        private static void Add<T>(List<T>? list, T? record)
            where T : class
        {
            if (record is null)
            {
                throw new JsonException("null record");
            }

            list?.Add(record);
        }

        private static void Frame(MemoryStream buffer, byte kind, byte[] json)
        {
            Span<byte> head = stackalloc byte[9];
            head[8] = kind;
            var crc = Crc32.Compute([kind], json);
            BinaryPrimitives.WriteUInt32LittleEndian(head, (uint)json.Length + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(head[4..], crc);
            buffer.Write(head);
            buffer.Write(json);
        }
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = CreateTable();

        public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

        public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => ~Update(Update(0xFFFFFFFFu, first), second);

        private static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        private static uint[] CreateTable()
        {
            var table = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                var c = i;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[i] = c;
            }

            return table;
        }
    }
}

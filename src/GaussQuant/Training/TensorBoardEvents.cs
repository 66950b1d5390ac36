using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace GaussQuant.Training;

/// <summary>
/// A TensorBoard event file (<c>events.out.tfevents.*</c>: TFRecord framing around <c>Event</c> protocol buffers) for
/// one training process, written by us rather than TorchSharp's SummaryWriter because resuming needs what that writer
/// cannot write: like PyTorch's <c>SummaryWriter(purge_step=S)</c>, each file starts with <c>file_version</c> and a
/// <c>SessionLog START</c> at the first step this process logs. TensorBoard ignores a run's first START and, at every
/// later one, drops the events at or after its step read from earlier files, so the steps an interrupted process
/// logged after its last checkpoint (and the resumed one logs again) appear once. Files are named with a timestamp
/// later than every earlier file's, since TensorBoard reads a run's files in name order.
/// </summary>
internal sealed partial class TensorBoardEvents : IDisposable
{
    private const string Prefix = "events.out.tfevents.";
    private readonly FileStream file;

    /// <param name="firstStep">The first step this process can log: 0 for a new run, the checkpoint's step + 1 when resuming.</param>
    public TensorBoardEvents(string folder, long firstStep)
    {
        long seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (string existing in Directory.EnumerateFiles(folder, Prefix + "*"))
        {
            var match = Timestamp().Match(Path.GetFileName(existing));
            if (match.Success && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long earlier))
                seconds = Math.Max(seconds, earlier + 1);
        }
        FilePath = Path.Combine(folder, $"{Prefix}{seconds:D10}.{Dns.GetHostName()}.{Environment.ProcessId}.gq");
        file = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write);
        Write(EventBytes(firstStep, body => Field(body, 3, Encoding.UTF8.GetBytes("brain.Event:2"))));
        Write(EventBytes(firstStep, body => Field(body, 7, [0x08, 0x01]))); // session_log (field 7) { status: START }
        file.Flush();
    }

    public string FilePath { get; }

    /// <summary>One event holding the scalars of one step, flushed so TensorBoard sees it while the run goes on.</summary>
    public void AddScalars(long step, IEnumerable<(string Tag, float Value)> scalars)
    {
        var summary = new MemoryStream();
        Span<byte> bits = stackalloc byte[4];
        foreach (var (tag, value) in scalars)
        {
            var entry = new MemoryStream();
            Field(entry, 1, Encoding.UTF8.GetBytes(tag));
            Key(entry, 2, wireType: 5);
            BinaryPrimitives.WriteSingleLittleEndian(bits, value);
            entry.Write(bits);
            Field(summary, 1, entry.ToArray());
        }
        Write(EventBytes(step, body => Field(body, 5, summary.ToArray())));
        file.Flush();
    }

    public void Dispose() => file.Dispose();

    /// <summary>An Event: wall_time (1, double), step (2, int64), then the fields <paramref name="content"/> adds.</summary>
    private static byte[] EventBytes(long step, Action<MemoryStream> content)
    {
        var body = new MemoryStream();
        Key(body, 1, wireType: 1);
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(time, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        body.Write(time);
        Key(body, 2, wireType: 0);
        Varint(body, (ulong)step);
        content(body);
        return body.ToArray();
    }

    /// <summary>A TFRecord: length, its masked CRC-32C, the data, its masked CRC-32C.</summary>
    private void Write(byte[] data)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)data.Length);
        Span<byte> crc = stackalloc byte[4];
        file.Write(length);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C(length));
        file.Write(crc);
        file.Write(data);
        BinaryPrimitives.WriteUInt32LittleEndian(crc, MaskedCrc32C(data));
        file.Write(crc);
    }

    internal static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }

    internal static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        foreach (byte value in data)
            crc = BitOperations.Crc32C(crc, value);
        return ~crc;
    }

    private static void Field(MemoryStream stream, int number, byte[] bytes)
    {
        Key(stream, number, wireType: 2);
        Varint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void Key(MemoryStream stream, int number, int wireType) => Varint(stream, (ulong)(number << 3 | wireType));

    private static void Varint(MemoryStream stream, ulong value)
    {
        for (; value >= 0x80; value >>= 7)
            stream.WriteByte((byte)(value | 0x80));
        stream.WriteByte((byte)value);
    }

    [GeneratedRegex(@"^events\.out\.tfevents\.(\d+)\.")]
    private static partial Regex Timestamp();
}

using System.Text;

namespace GaussQuant.Tests.Checkpoints;

/// <summary>
/// Writes files in torch's legacy layout byte by byte (protocol 2 pickles, as torch 0.x wrote them), for layouts
/// torch itself never produces: oversized pickles, repeated or missing storage keys, storages of unknown types.
/// </summary>
internal sealed class LegacyFileWriter
{
    private static readonly byte[] MagicNumber = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.'];
    private static readonly byte[] FormatVersion = [0x80, 0x02, (byte)'M', 0xe9, 0x03, (byte)'.']; // 1001
    private static readonly byte[] EmptySystemInfo = [0x80, 0x02, (byte)'}', (byte)'.'];

    private readonly List<byte[]> entries = [];
    private readonly List<string> listedKeys = [];
    private readonly List<byte[]> blocks = [];

    /// <summary>A state-dict entry holding a string of <paramref name="length"/> characters.</summary>
    public LegacyFileWriter Text(string name, int length)
    {
        entries.Add([.. Unicode(name), .. Unicode(new string('a', length))]);
        return this;
    }

    /// <summary>A state-dict entry: a 1-D tensor over all of storage <paramref name="key"/> (of <paramref name="storageType"/>).</summary>
    public LegacyFileWriter Tensor(string name, string key, int count, string storageType = "FloatStorage")
    {
        byte[] persistentId = [(byte)'(', .. Unicode("storage"), .. Global("torch", storageType), .. Unicode(key), .. Unicode("cpu"), .. Int(count), (byte)'N', (byte)'t', (byte)'Q'];
        entries.Add([.. Unicode(name), .. Global("torch._utils", "_rebuild_tensor"),
            (byte)'(', .. persistentId, (byte)'K', 0, .. Int(count), 0x85, (byte)'K', 1, 0x85, (byte)'t', (byte)'R']);
        return this;
    }

    /// <summary>Lists <paramref name="key"/> among the storages and appends its block: the element count and <paramref name="bytes"/> bytes.</summary>
    public LegacyFileWriter Storage(string key, long count, int bytes)
    {
        listedKeys.Add(key);
        blocks.Add([.. BitConverter.GetBytes(count), .. Enumerable.Range(0, bytes).Select(index => (byte)index)]);
        return this;
    }

    public void Write(string path)
    {
        var objectPickle = new List<byte> { 0x80, 0x02, (byte)'}', (byte)'(' };
        foreach (var entry in entries) objectPickle.AddRange(entry);
        objectPickle.AddRange([(byte)'u', (byte)'.']);
        var keyList = new List<byte> { 0x80, 0x02, (byte)']', (byte)'(' };
        foreach (var key in listedKeys) keyList.AddRange(Unicode(key));
        keyList.AddRange([(byte)'e', (byte)'.']);
        File.WriteAllBytes(path, [.. MagicNumber, .. FormatVersion, .. EmptySystemInfo, .. objectPickle, .. keyList, .. blocks.SelectMany(block => block)]);
    }

    private static byte[] Unicode(string text) => [(byte)'X', .. BitConverter.GetBytes(Encoding.UTF8.GetByteCount(text)), .. Encoding.UTF8.GetBytes(text)];

    private static byte[] Global(string module, string name) => [(byte)'c', .. Encoding.ASCII.GetBytes($"{module}\n{name}\n")];

    private static byte[] Int(int value) => [(byte)'J', .. BitConverter.GetBytes(value)];
}

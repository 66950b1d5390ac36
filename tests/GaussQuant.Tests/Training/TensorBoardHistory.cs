using System.Buffers.Binary;
using GaussQuant.Training;

namespace GaussQuant.Tests.Training;

/// <summary>
/// The scalars TensorBoard shows for a run folder: every <c>events.out.tfevents.*</c> file read in name order (as
/// TensorBoard reads them), records checked by their CRCs, events decoded with TorchSharp's generated TensorBoard
/// protocol buffers (not our writer's code), and TensorBoard's restart rule applied: the first SessionLog START of a
/// run is ignored, and each later one drops the scalars read so far at or after its step.
/// </summary>
internal static class TensorBoardHistory
{
    /// <summary>The steps shown for each tag, in the order they were read.</summary>
    public static Dictionary<string, List<long>> Read(string folder)
    {
        var steps = new Dictionary<string, List<long>>();
        bool sawStart = false;
        foreach (string file in Directory.GetFiles(folder, "events.out.tfevents.*").Order(StringComparer.Ordinal))
        {
            foreach (var record in Records(File.ReadAllBytes(file)))
            {
                var parsed = Tensorboard.Event.Parser.ParseFrom(record);
                if (parsed.SessionLog?.Status == Tensorboard.SessionLog.Types.SessionStatus.Start)
                {
                    if (sawStart)
                        foreach (var list in steps.Values)
                            list.RemoveAll(step => step >= parsed.Step);
                    sawStart = true;
                }
                foreach (var value in parsed.Summary?.Value ?? [])
                {
                    if (!steps.TryGetValue(value.Tag, out var list))
                        steps[value.Tag] = list = [];
                    list.Add(parsed.Step);
                }
            }
        }
        return steps;
    }

    private static IEnumerable<byte[]> Records(byte[] bytes)
    {
        for (int offset = 0; offset < bytes.Length;)
        {
            var length = bytes.AsSpan(offset, 8);
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8)), TensorBoardEvents.MaskedCrc32C(length));
            int size = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(length));
            var data = bytes.AsSpan(offset + 12, size).ToArray();
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + size)), TensorBoardEvents.MaskedCrc32C(data));
            offset += 12 + size + 4;
            yield return data;
        }
    }
}

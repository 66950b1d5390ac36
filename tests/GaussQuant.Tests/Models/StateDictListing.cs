using static TorchSharp.torch;

namespace GaussQuant.Tests.Models;

/// <summary>A module's state-dict keys with shapes, one per line, in the spec's key-file format (Python tuples).</summary>
internal static class StateDictListing
{
    public static List<string> Lines(string prefix, nn.Module module) =>
        module.state_dict().Select(pair => $"{prefix}{pair.Key} {PythonTuple(pair.Value.shape)}").ToList();

    /// <summary>Non-comment lines of a key file that start with <paramref name="prefix"/>.</summary>
    public static List<string> Read(string path, string prefix) =>
        File.ReadLines(path).Select(line => line.Trim()).Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    private static string PythonTuple(long[] shape) =>
        shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
}

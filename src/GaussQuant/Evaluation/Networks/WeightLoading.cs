using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// Copies named tensors from a state dictionary into a module's parameters and buffers, accepting for each
/// one the names of the files users have (a rule maps our name to the keys to look for). All missing
/// tensors are reported together; shapes must match exactly. Keys the module does not use are ignored, so
/// whole checkpoints and torchvision files (with classifier weights) can be passed as they are.
/// </summary>
internal static class WeightLoading
{
    private const int MissingKeysShown = 12;

    /// <summary>The module's parameters and buffers that weights provide, by name.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> Targets(nn.Module module) =>
        module.named_parameters().Select(entry => (entry.name, (Tensor)entry.parameter))
            .Concat(module.named_buffers())
            // The batch counter of BatchNorm is training bookkeeping, not a weight.
            .Where(entry => !entry.Item1.EndsWith("num_batches_tracked", StringComparison.Ordinal));

    /// <summary>Which keys may hold a tensor, and whether it may be absent (the module's value is then kept).</summary>
    public sealed record Source(IReadOnlyList<string> Keys, bool Optional = false);

    /// <param name="sourceOf">For a module tensor name, where to find it; null for tensors this load does not cover.</param>
    /// <param name="layoutHint">Appended to the missing-keys error: which files and key layouts are expected.</param>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string description,
        Func<string, Source?> sourceOf, string layoutHint)
    {
        var missing = new List<string>();
        int covered = 0;
        using var noGrad = no_grad();
        foreach (var (name, target) in Targets(module))
        {
            if (sourceOf(name) is not { } source)
                continue;
            covered++;
            string? key = source.Keys.FirstOrDefault(weights.ContainsKey);
            if (key is null)
            {
                if (!source.Optional)
                    missing.Add(source.Keys[0]);
                continue;
            }
            var value = weights[key];
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException(
                    $"{description}: tensor '{key}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", target.shape)}]");
            if (!value.is_floating_point())
                throw new InvalidDataException($"{description}: tensor '{key}' holds {value.dtype}, expected floating-point weights");
            target.copy_(value);
        }
        if (missing.Count > 0)
            throw new InvalidDataException(
                $"{description}: {missing.Count} of {covered} tensors are missing, e.g. {string.Join(", ", missing.Take(MissingKeysShown))}" +
                $"{(missing.Count > MissingKeysShown ? ", …" : "")}. {layoutHint}");
    }
}

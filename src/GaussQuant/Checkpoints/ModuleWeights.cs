using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>Copies checkpoint tensors into a module whose state-dict names follow the checkpoint's (spec §1.4).</summary>
public static class ModuleWeights
{
    /// <summary>
    /// Copies <paramref name="weights"/>[<paramref name="prefix"/> + name] into each tensor of
    /// <paramref name="module"/>'s state dict, converting dtype and device. Strict within the module's own
    /// namespace: with a prefix (e.g. <c>"encoder."</c>) every checkpoint key under it must belong to the
    /// module; without one, every key under the first name component of the module's keys (<c>encoder.</c>,
    /// <c>decoder.</c>, …). Keys outside (<c>loss.*</c>, optimizer leftovers) are ignored. Any difference is
    /// reported as one <see cref="WeightMismatchException"/> before anything is copied.
    /// </summary>
    public static void LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string source, string prefix = "") =>
        LoadInto(module, weights.ToDictionary(pair => pair.Key, pair => pair.Value.shape, StringComparer.Ordinal),
            (key, target) => target.copy_(weights[key]), source, prefix);

    /// <summary>
    /// As <see cref="LoadInto(nn.Module, IReadOnlyDictionary{string, Tensor}, string, string)"/>, reading each tensor
    /// from <paramref name="checkpoint"/> just before it is copied and freeing it just after, so that loading a model
    /// holds one checkpoint tensor at a time beside the model's own.
    /// </summary>
    public static void LoadInto(nn.Module module, CheckpointReader checkpoint, string source, string prefix = "") =>
        LoadInto(module, checkpoint.Shapes, (key, target) =>
        {
            using var tensor = checkpoint.Read(key);
            target.copy_(tensor);
        }, source, prefix);

    private static void LoadInto(nn.Module module, IReadOnlyDictionary<string, long[]> shapes, Action<string, Tensor> copyInto,
        string source, string prefix)
    {
        var targets = module.state_dict();
        var scopes = prefix.Length > 0
            ? [prefix]
            : targets.Keys.Select(key => key.Split('.')[0] + ".").Distinct().ToArray();

        var missing = new List<string>();
        var misshaped = new List<string>();
        foreach (var (name, target) in targets)
        {
            if (!shapes.TryGetValue(prefix + name, out var shape)) missing.Add(prefix + name);
            else if (!shape.SequenceEqual(target.shape))
                misshaped.Add($"{prefix + name}: checkpoint [{string.Join(", ", shape)}] vs model [{string.Join(", ", target.shape)}]");
        }
        var unexpected = shapes.Keys
            .Where(key => scopes.Any(scope => key.StartsWith(scope, StringComparison.Ordinal))
                          && !(key.StartsWith(prefix, StringComparison.Ordinal) && targets.ContainsKey(key[prefix.Length..])))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (missing.Count + misshaped.Count + unexpected.Count > 0)
            throw new WeightMismatchException(source, targets.Count - missing.Count - misshaped.Count, targets.Count, missing, unexpected, misshaped);

        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
            copyInto(prefix + name, target);
    }
}

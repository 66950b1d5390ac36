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
    public static void LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string source, string prefix = "")
    {
        var targets = module.state_dict();
        var scopes = prefix.Length > 0
            ? [prefix]
            : targets.Keys.Select(key => key.Split('.')[0] + ".").Distinct().ToArray();

        var missing = new List<string>();
        var misshaped = new List<string>();
        foreach (var (name, target) in targets)
        {
            if (!weights.TryGetValue(prefix + name, out var tensor)) missing.Add(prefix + name);
            else if (!tensor.shape.SequenceEqual(target.shape))
                misshaped.Add($"{prefix + name}: checkpoint [{string.Join(", ", tensor.shape)}] vs model [{string.Join(", ", target.shape)}]");
        }
        var unexpected = weights.Keys
            .Where(key => scopes.Any(scope => key.StartsWith(scope, StringComparison.Ordinal))
                          && !(key.StartsWith(prefix, StringComparison.Ordinal) && targets.ContainsKey(key[prefix.Length..])))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (missing.Count + misshaped.Count + unexpected.Count > 0)
            throw new WeightMismatchException(source, targets.Count - missing.Count - misshaped.Count, targets.Count, missing, unexpected, misshaped);

        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
            target.copy_(weights[prefix + name]);
    }
}

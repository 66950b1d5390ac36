using System.Text;
using static TorchSharp.torch;

namespace GaussQuant.Nn;

/// <summary>Loads the part of a checkpoint that belongs to one module, refusing any mismatch.</summary>
public static class StrictStateDict
{
    /// <summary>
    /// Copies every tensor named <paramref name="prefix"/> + a state-dict key of <paramref name="module"/> into it
    /// (converting dtype and device). Nothing is copied unless the subset under the prefix matches exactly.
    /// </summary>
    /// <param name="source">Names the checkpoint in error messages.</param>
    /// <exception cref="InvalidDataException">listing all missing, unexpected, non-floating and mis-shaped keys.</exception>
    public static void LoadStrict(this nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string prefix, string source)
    {
        var expected = module.state_dict();
        var missing = expected.Keys.Where(key => !tensors.ContainsKey(prefix + key)).ToList();
        var unexpected = tensors.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)
            && !expected.ContainsKey(key[prefix.Length..])).Order(StringComparer.Ordinal).ToList();
        var wrong = new List<string>();
        foreach (var (key, target) in expected)
        {
            if (!tensors.TryGetValue(prefix + key, out var tensor)) continue;
            if (!tensor.shape.SequenceEqual(target.shape))
                wrong.Add($"{prefix}{key} has shape ({string.Join(", ", tensor.shape)}), expected ({string.Join(", ", target.shape)})");
            else if (!tensor.is_floating_point())
                wrong.Add($"{prefix}{key} has dtype {tensor.dtype}, expected a floating-point tensor");
        }
        if (missing.Count + unexpected.Count + wrong.Count > 0)
        {
            var message = new StringBuilder($"{source}: the '{prefix}*' tensors do not match {module.GetName()}");
            if (missing.Count > 0) message.Append($"; missing {missing.Count}: ").AppendJoin(", ", missing.Select(key => prefix + key));
            if (unexpected.Count > 0) message.Append($"; unexpected {unexpected.Count}: ").AppendJoin(", ", unexpected);
            if (wrong.Count > 0) message.Append($"; {wrong.Count} wrong: ").AppendJoin("; ", wrong);
            throw new InvalidDataException(message.ToString());
        }
        using var noGrad = no_grad();
        foreach (var (key, target) in expected) target.copy_(tensors[prefix + key]);
    }
}

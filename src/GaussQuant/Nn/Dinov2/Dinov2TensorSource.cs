using static TorchSharp.torch;

namespace GaussQuant.Nn.Dinov2;

/// <summary>The checkpoint keys one tensor of <see cref="Dinov2VisionTransformer"/> is made from, and how.</summary>
public sealed record Dinov2TensorSource(IReadOnlyList<string> Keys, Dinov2TensorCombination Combination)
{
    public static Dinov2TensorSource Copy(string key) => new([key], Dinov2TensorCombination.Copy);

    public static Dinov2TensorSource Concatenate(IReadOnlyList<string> keys) => new(keys, Dinov2TensorCombination.Concatenate);

    /// <summary>The resulting shape; a missing key, or a shape that does not combine, is an error naming the key.</summary>
    public long[] ShapeFrom(IReadOnlyDictionary<string, long[]> shapes)
    {
        var parts = Keys.Select(key => shapes.TryGetValue(key, out var shape)
            ? shape : throw new InvalidDataException($"DINOv2 weights: '{key}' is missing")).ToList();
        switch (Combination)
        {
            case Dinov2TensorCombination.Copy:
                return parts[0];
            case Dinov2TensorCombination.Concatenate:
                if (parts.Any(part => part.Length == 0 || !part.Skip(1).SequenceEqual(parts[0].Skip(1))))
                    throw new InvalidDataException($"DINOv2 weights: {string.Join(", ", Keys)} do not stack (shapes {Describe(parts)})");
                return [parts.Sum(part => part[0]), .. parts[0].Skip(1)];
            case Dinov2TensorCombination.ClassPlusFirstPosition:
                RequireTokens(parts[1], Keys[1], minimum: 2);
                return parts[0];
            case Dinov2TensorCombination.WithoutFirstPosition:
                RequireTokens(parts[0], Keys[0], minimum: 2);
                return [parts[0][0], parts[0][1] - 1, parts[0][2]];
            default:
                throw new ArgumentOutOfRangeException(nameof(Combination), Combination, null);
        }
    }

    /// <summary>The tensor itself, from the checkpoint's tensors; the caller disposes it.</summary>
    public Tensor From(IReadOnlyDictionary<string, Tensor> tensors)
    {
        var parts = Keys.Select(key => tensors[key]).ToList();
        return Combination switch
        {
            Dinov2TensorCombination.Copy => parts[0].alias(),
            Dinov2TensorCombination.Concatenate => cat(parts, 0),
            Dinov2TensorCombination.ClassPlusFirstPosition => parts[0].add(parts[1].narrow(1, 0, 1)),
            Dinov2TensorCombination.WithoutFirstPosition => parts[0].narrow(1, 1, parts[0].shape[1] - 1),
            _ => throw new ArgumentOutOfRangeException(nameof(Combination), Combination, null),
        };
    }

    private static void RequireTokens(long[] shape, string key, int minimum)
    {
        if (shape.Length != 3 || shape[1] < minimum)
            throw new InvalidDataException($"DINOv2 weights: '{key}' has shape [{string.Join(", ", shape)}], expected [1, tokens, E]");
    }

    private static string Describe(IEnumerable<long[]> shapes) => string.Join(", ", shapes.Select(shape => $"[{string.Join(", ", shape)}]"));
}

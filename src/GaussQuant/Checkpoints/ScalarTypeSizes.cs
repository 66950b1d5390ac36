using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>Bytes per element of the dtypes that checkpoint files store.</summary>
internal static class ScalarTypeSizes
{
    public static long Of(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };
}

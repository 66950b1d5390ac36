using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace GaussQuant.Evaluation.Networks;

/// <summary>Mixed_7a (torchvision InceptionD, unchanged in the FID network): stride-2 reduction 17×17 → 8×8, 768 → 1280 channels.</summary>
internal sealed class InceptionBlockD : InceptionBlock
{
    private readonly InceptionConvolution branch3x3First, branch3x3Second;
    private readonly InceptionConvolution[] branch7x7x3;

    public InceptionBlockD(long inputChannels) : base("InceptionD")
    {
        branch3x3First = Unit("branch3x3_1", inputChannels, 192, Square(1));
        branch3x3Second = Unit("branch3x3_2", 192, 320, Square(3), stride: 2);
        branch7x7x3 =
        [
            Unit("branch7x7x3_1", inputChannels, 192, Square(1)),
            Unit("branch7x7x3_2", 192, 192, (1, 7), padding: (0, 3)),
            Unit("branch7x7x3_3", 192, 192, (7, 1), padding: (3, 0)),
            Unit("branch7x7x3_4", 192, 192, Square(3), stride: 2),
        ];
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return cat([
            branch3x3Second.call(branch3x3First.call(input)),
            branch7x7x3.Aggregate(input, (hidden, unit) => unit.call(hidden)),
            max_pool2d(input, 3, stride: 2),
        ], 1).MoveToOuterDisposeScope();
    }
}

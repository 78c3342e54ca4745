package sample

import (
	"encoding/json"
	"reflect"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// The element types travel between Beam stages as JSON: the encoding is
// the one the outputs use, and it copes with every field type we carry.
func init() {
	beam.RegisterCoder(reflect.TypeOf(FileDoc{}), encodeFileDoc, decodeFileDoc)
	beam.RegisterCoder(reflect.TypeOf(Function{}), encodeFunction, decodeFunction)
	beam.RegisterCoder(reflect.TypeOf(Rejected{}), encodeRejected, decodeRejected)
}

func encodeFileDoc(v FileDoc) ([]byte, error) { return json.Marshal(v) }
func decodeFileDoc(b []byte) (FileDoc, error) {
	var v FileDoc
	err := json.Unmarshal(b, &v)
	return v, err
}

func encodeFunction(v Function) ([]byte, error) { return json.Marshal(v) }
func decodeFunction(b []byte) (Function, error) {
	var v Function
	err := json.Unmarshal(b, &v)
	return v, err
}

func encodeRejected(v Rejected) ([]byte, error) { return json.Marshal(v) }
func decodeRejected(b []byte) (Rejected, error) {
	var v Rejected
	err := json.Unmarshal(b, &v)
	return v, err
}

func init() {
	beam.RegisterCoder(reflect.TypeOf(Sample{}), encodeSample, decodeSample)
	beam.RegisterCoder(reflect.TypeOf(Record{}), encodeRecord, decodeRecord)
}

func encodeSample(v Sample) ([]byte, error) { return json.Marshal(v) }
func decodeSample(b []byte) (Sample, error) {
	var v Sample
	err := json.Unmarshal(b, &v)
	return v, err
}

func encodeRecord(v Record) ([]byte, error) { return json.Marshal(v) }
func decodeRecord(b []byte) (Record, error) {
	var v Record
	err := json.Unmarshal(b, &v)
	return v, err
}

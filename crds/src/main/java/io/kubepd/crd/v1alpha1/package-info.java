/** The kubepd.io/v1alpha1 API: the custom resources kubepd's agent and operator exchange. */
package io.kubepd.crd.v1alpha1;
